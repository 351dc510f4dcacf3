using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TensorFlow 1.x histogram summary (HistogramSummary op) over the default bucket limits.
/// One instance owns its bucket counts and is reused across calls, so summarizing a tensor
/// allocates only the result. Not thread-safe.
/// </summary>
/// <remarks>
/// Buckets grow with the value, so only those from min's bucket to max's can be non-zero: the
/// counters are merged, cleared and encoded over that range only, which for a small tensor is
/// most of the work that does not depend on its size.
/// </remarks>
public sealed class Histogram
{
    private readonly long[] _counts = new long[HistogramBuckets.Count];
    private readonly int[] _scratch = new int[4 * HistogramBuckets.Count];
    private readonly double[] _entryLimits = new double[HistogramBuckets.Count];
    private readonly double[] _entryCounts = new double[HistogramBuckets.Count];
    private CodedArrayWriter? _writer;
    private Part? _second;
    private double _min;
    private double _max;
    private long _num;
    private double _sum;
    private double _sumSquares;
    // Sums of max(x, 0), kept when the values were added for a ReLU histogram too (see DeriveRelu).
    private double _reluSum;
    private double _reluSumSquares;
    // The buckets that may be non-zero: [_low, _high], empty when _low > _high.
    private int _low;
    private int _high;

    public Histogram()
    {
        _low = 0;
        _high = _counts.Length - 1;
        Clear();
    }

    public long Count => _num;

    public void Clear()
    {
        if (_low <= _high) Array.Clear(_counts, _low, _high - _low + 1);
        (_low, _high) = (_counts.Length, -1);
        // TF starts min at the last limit (DBL_MAX) and max at -DBL_MAX; an empty histogram's
        // proto carries exactly these.
        _min = double.MaxValue;
        _max = -double.MaxValue;
        _num = 0;
        _sum = 0;
        _sumSquares = 0;
        _reluSum = 0;
        _reluSumSquares = 0;
    }

    /// <summary>Clears, adds <paramref name="values"/> and encodes: one HistogramSummary.</summary>
    public HistogramProto Summarize(ReadOnlySpan<float> values, string tag)
    {
        Clear();
        Add(values, tag);
        return ToProto();
    }

    /// <summary>
    /// Clears, adds and encodes the first <paramref name="length"/> values of an array; a large
    /// array is split over two cores (each half counted separately, then merged).
    /// </summary>
    public HistogramProto Summarize(float[] values, int length, string tag)
    {
        Fill(values, length, tag);
        return ToProto();
    }

    /// <summary>
    /// Like <see cref="Summarize(float[], int, string)"/>, but returns the serialized
    /// Summary { value { tag, histo } } that the HistogramSummary op outputs.
    /// </summary>
    public byte[] SummarizeToSummaryBytes(float[] values, int length, string tag)
    {
        Fill(values, length, tag);
        return SummaryBytes(tag);
    }

    /// <summary>
    /// The serialized summaries of <paramref name="values"/> and of their ReLU, max(x, 0), from one pass over the
    /// values: the ReLU histogram is derived (<see cref="DeriveRelu"/>) into <paramref name="relu"/>, with the bits
    /// that summarizing the ReLU output itself gives. A NaN or infinity is an error naming <paramref name="tag"/>.
    /// </summary>
    public (byte[] Values, byte[] Relu) SummarizeWithReluToSummaryBytes(float[] values, int length, string tag, Histogram relu, string reluTag)
    {
        Fill(values, length, tag, withRelu: true);
        DeriveRelu(relu);
        return (SummaryBytes(tag), relu.SummaryBytes(reluTag));
    }

    private byte[] SummaryBytes(string tag)
    {
        int entries = HistogramEncoding.Entries(_counts, _low, _high, _entryLimits, _entryCounts);
        return HistogramEncoding.SummaryBytes(_writer ??= new CodedArrayWriter(), tag, Moments, _entryLimits.AsSpan(0, entries), _entryCounts.AsSpan(0, entries));
    }

    /// <summary>
    /// Sets <paramref name="relu"/> to the histogram of max(x, 0) over the values this one holds (added with
    /// withRelu). TensorPrimitives.Max(x, 0) maps every x &lt;= 0 (-0 included) to +0 and keeps every x &gt; 0, so:
    /// buckets above 0's keep their counts, 0's bucket gathers every bucket at or below it, min is +0 when any
    /// x &lt;= 0, max is max(max x, +0), and the sums are the ones kept beside x's in the same order.
    /// </summary>
    private void DeriveRelu(Histogram relu)
    {
        relu.Clear();
        if (_num == 0) return;
        int zero = FloatBucketTable.IndexOf(0f);
        long atOrBelowZero = 0;
        for (int b = _low; b <= Math.Min(_high, zero); b++) atOrBelowZero += _counts[b];
        for (int b = Math.Max(_low, zero + 1); b <= _high; b++) relu._counts[b] = _counts[b];
        relu._counts[zero] += atOrBelowZero;
        relu._min = _min <= 0 ? 0.0 : _min;
        relu._max = _max > 0 ? _max : 0.0;
        relu._num = _num;
        relu._sum = _reluSum;
        relu._sumSquares = _reluSumSquares;
        relu._low = FloatBucketTable.IndexOf((float)relu._min);
        relu._high = FloatBucketTable.IndexOf((float)relu._max);
    }

    private void Fill(float[] values, int length, string tag, bool withRelu = false)
    {
        Clear();
        if (length < 2 * Kernels.ParallelSplit.MinParallelLength)
        {
            Add(values.AsSpan(0, length), tag, withRelu);
            return;
        }
        var second = _second ??= new Part();
        var parts = new Part.Result[2];
        // Exactly two halves, on two cores or one after the other.
        Kernels.ParallelSplit.For(length, length / 2, (histogram: this, values, tag, parts, withRelu), static (s, start, count) =>
        {
            bool first = start == 0;
            var h = s.histogram;
            s.parts[first ? 0 : 1] = AddCounted(s.values.AsSpan(start, count), s.tag, first ? h._counts : h._second!.Counts,
                first ? h._scratch : h._second!.Scratch, s.withRelu);
        });
        var (a, b) = (parts[0], parts[1]);
        for (int i = b.Low; i <= b.High; i++)
        {
            _counts[i] += second.Counts[i];
            second.Counts[i] = 0;
        }
        _min = Math.Min(a.Min, b.Min);
        _max = Math.Max(a.Max, b.Max);
        // Added onto the cleared 0 in order, exactly as two Add calls would.
        _sum = _sum + a.Sum + b.Sum;
        _sumSquares = _sumSquares + a.SumSquares + b.SumSquares;
        _reluSum = _reluSum + a.ReluSum + b.ReluSum;
        _reluSumSquares = _reluSumSquares + a.ReluSumSquares + b.ReluSumSquares;
        (_low, _high) = (Math.Min(a.Low, b.Low), Math.Max(a.High, b.High));
        _num = length;
    }

    /// <summary>
    /// Adds values. A NaN or infinity is an error naming <paramref name="tag"/>, as in TF; the
    /// histogram is left unchanged in that case.
    /// </summary>
    public void Add(ReadOnlySpan<float> values, string tag) => Add(values, tag, withRelu: false);

    /// <summary>As <see cref="Add(ReadOnlySpan{float}, string)"/>, keeping the sums of max(x, 0) too when <paramref name="withRelu"/>.</summary>
    private void Add(ReadOnlySpan<float> values, string tag, bool withRelu)
    {
        if (values.IsEmpty) return;
        var r = AddCounted(values, tag, _counts, _scratch, withRelu);
        _min = Math.Min(_min, r.Min);
        _max = Math.Max(_max, r.Max);
        _num += values.Length;
        _sum += r.Sum;
        _sumSquares += r.SumSquares;
        _reluSum += r.ReluSum;
        _reluSumSquares += r.ReluSumSquares;
        (_low, _high) = (Math.Min(_low, r.Low), Math.Max(_high, r.High));
    }

    /// <summary>
    /// One pass in L1-sized chunks: each chunk's statistics (which also reject NaN/Inf), then its
    /// buckets, while the chunk is still in cache. Counts reach <paramref name="counts"/> only
    /// after every value was checked, so a bad value leaves the histogram unchanged.
    /// </summary>
    private static Part.Result AddCounted(ReadOnlySpan<float> values, string tag, long[] counts, int[] scratch, bool withRelu)
    {
        const int Chunk = 4096;
        double min = double.MaxValue, max = -double.MaxValue, sum = 0, sumSquares = 0, reluSum = 0, reluSquares = 0;
        try
        {
            for (int offset = 0; offset < values.Length; offset += Chunk)
            {
                var chunk = values.Slice(offset, Math.Min(Chunk, values.Length - offset));
                double cMin, cMax, cSum, cSquares;
                if (withRelu)
                {
                    HistogramMoments.AccumulateWithRelu(chunk, tag, out cMin, out cMax, out cSum, out cSquares, out double rSum, out double rSquares);
                    (reluSum, reluSquares) = (reluSum + rSum, reluSquares + rSquares);
                }
                else
                    HistogramMoments.Accumulate(chunk, tag, out cMin, out cMax, out cSum, out cSquares);
                (min, max, sum, sumSquares) = (Math.Min(min, cMin), Math.Max(max, cMax), sum + cSum, sumSquares + cSquares);
                FloatBucketTable.CountInto(chunk, scratch, counts.Length);
            }
        }
        catch
        {
            Array.Clear(scratch);
            throw;
        }
        // min and max are floats widened to double, so their float buckets bound all others.
        int low = FloatBucketTable.IndexOf((float)min), high = FloatBucketTable.IndexOf((float)max);
        FloatBucketTable.MergeInto(scratch, counts, low, high);
        return new Part.Result(min, max, sum, sumSquares, low, high, reluSum, reluSquares);
    }

    private HistogramEncoding.Moments Moments => new(_min, _max, _num, _sum, _sumSquares);

    /// <summary>Encodes like TF's EncodeToProto with zero buckets dropped (see <see cref="HistogramEncoding"/>).</summary>
    public HistogramProto ToProto()
    {
        int entries = HistogramEncoding.Entries(_counts, _low, _high, _entryLimits, _entryCounts);
        return HistogramEncoding.ToProto(Moments, _entryLimits.AsSpan(0, entries), _entryCounts.AsSpan(0, entries));
    }

    /// <summary>The counters of the second half of a split array.</summary>
    private sealed class Part
    {
        public readonly record struct Result(double Min, double Max, double Sum, double SumSquares, int Low, int High,
            double ReluSum = 0, double ReluSumSquares = 0);

        public long[] Counts { get; } = new long[HistogramBuckets.Count];
        public int[] Scratch { get; } = new int[4 * HistogramBuckets.Count];
    }
}
