namespace TfMnist.Summary;

/// <summary>
/// A histogram summary met NaN or Infinity (TF's "Nan in summary histogram for: TAG"): typed, so
/// a training loop can report a diverging run by its tag instead of as a crash.
/// </summary>
public sealed class NonFiniteSummaryException(string tag, float value, string paramName)
    : ArgumentException($"{(float.IsNaN(value) ? "Nan" : "Infinity")} in summary histogram for: {tag}", paramName)
{
    public string Tag { get; } = tag;

    /// <summary>The first non-finite value found (NaN, +Infinity or -Infinity).</summary>
    public float Value { get; } = value;
}
