namespace TfMnist.Inspect;

/// <summary>
/// Collects one tag's events as they stream past: counts, steps and the scalar range in constant
/// memory; the whole scalar curve only when a diff asks for it (one value per step, never the bytes).
/// </summary>
internal sealed class TagAccumulator(string tag, string kind, bool keepCurve)
{
    private long _count, _firstStep, _lastStep;
    private double _first, _last, _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private bool _isScalar;

    public string Tag { get; } = tag;

    public string Kind { get; } = kind;

    /// <summary>Step -> value of a scalar tag (the last value written at a step wins, as TensorBoard shows it).</summary>
    public SortedDictionary<long, double>? Curve { get; } = keepCurve ? new() : null;

    public void Add(long step, double? scalar = null)
    {
        if (_count == 0) _firstStep = step;
        _count++;
        _lastStep = step;
        if (scalar is not { } v) return;
        if (!_isScalar) _first = v;
        _isScalar = true;
        _last = v;
        _min = Math.Min(_min, v);
        _max = Math.Max(_max, v);
        if (Curve is not null) Curve[step] = v;
    }

    public TagSummary ToSummary() =>
        new(Tag, Kind, _count, _firstStep, _lastStep, _isScalar ? new ScalarRange(_first, _last, _min, _max) : null);
}
