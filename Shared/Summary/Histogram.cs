using System.Numerics;
using System.Runtime.InteropServices;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TensorFlow 1.x histogram summary (HistogramSummary op) over the default bucket limits.
/// One instance owns its bucket counts and is reused across calls, so summarizing a tensor
/// allocates only the resulting proto. Not thread-safe.
/// </summary>
public sealed class Histogram
{
    private readonly long[] _counts = new long[HistogramBuckets.Count];
    private readonly int[] _scratch = new int[4 * HistogramBuckets.Count];
    private long[]? _secondCounts;
    private int[]? _secondScratch;
    private double _min;
    private double _max;
    private long _num;
    private double _sum;
    private double _sumSquares;

    public Histogram() => Clear();

    public long Count => _num;

    public void Clear()
    {
        Array.Clear(_counts);
        // TF starts min at the last limit (DBL_MAX) and max at -DBL_MAX; an empty histogram's
        // proto carries exactly these.
        _min = double.MaxValue;
        _max = -double.MaxValue;
        _num = 0;
        _sum = 0;
        _sumSquares = 0;
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
        Clear();
        if (length < 2 * Kernels.ParallelSplit.MinParallelLength)
        {
            Add(values.AsSpan(0, length), tag);
            return ToProto();
        }
        _secondCounts ??= new long[HistogramBuckets.Count];
        _secondScratch ??= new int[4 * HistogramBuckets.Count];
        Array.Clear(_secondCounts);
        var parts = new (double Min, double Max, double Sum, double SumSquares)[2];
        // Exactly two halves, on two cores or one after the other.
        Kernels.ParallelSplit.For(length, length / 2, (histogram: this, values, tag, parts), static (s, start, count) =>
        {
            bool first = start == 0;
            var h = s.histogram;
            AddCounted(s.values.AsSpan(start, count), s.tag, first ? h._counts : h._secondCounts!, first ? h._scratch : h._secondScratch!,
                out double min, out double max, out double sum, out double sumSquares);
            s.parts[first ? 0 : 1] = (min, max, sum, sumSquares);
        });
        for (int b = 0; b < _counts.Length; b++) _counts[b] += _secondCounts[b];
        foreach (var (min, max, sum, sumSquares) in parts)
        {
            _min = Math.Min(_min, min);
            _max = Math.Max(_max, max);
            _sum += sum;
            _sumSquares += sumSquares;
        }
        _num = length;
        return ToProto();
    }

    /// <summary>
    /// Adds values. A NaN or infinity is an error naming <paramref name="tag"/>, as in TF; the
    /// histogram is left unchanged in that case.
    /// </summary>
    public void Add(ReadOnlySpan<float> values, string tag)
    {
        if (values.IsEmpty) return;
        AddCounted(values, tag, _counts, _scratch, out double min, out double max, out double sum, out double sumSquares);
        _min = Math.Min(_min, min);
        _max = Math.Max(_max, max);
        _num += values.Length;
        _sum += sum;
        _sumSquares += sumSquares;
    }

    /// <summary>
    /// One pass in L1-sized chunks: each chunk's statistics (which also reject NaN/Inf), then its
    /// buckets, while the chunk is still in cache. Counts reach <paramref name="counts"/> only
    /// after every value was checked, so a bad value leaves the histogram unchanged.
    /// </summary>
    private static void AddCounted(ReadOnlySpan<float> values, string tag, long[] counts, int[] scratch,
        out double min, out double max, out double sum, out double sumSquares)
    {
        const int Chunk = 4096;
        (min, max, sum, sumSquares) = (double.MaxValue, -double.MaxValue, 0, 0);
        try
        {
            for (int offset = 0; offset < values.Length; offset += Chunk)
            {
                var chunk = values.Slice(offset, Math.Min(Chunk, values.Length - offset));
                Accumulate(chunk, tag, out double cMin, out double cMax, out double cSum, out double cSquares);
                (min, max, sum, sumSquares) = (Math.Min(min, cMin), Math.Max(max, cMax), sum + cSum, sumSquares + cSquares);
                FloatBucketTable.CountInto(chunk, scratch, counts.Length);
            }
        }
        catch
        {
            Array.Clear(scratch);
            throw;
        }
        FloatBucketTable.MergeInto(scratch, counts);
    }

    /// <summary>
    /// Encodes like TF's EncodeToProto with zero buckets dropped: each non-empty bucket is
    /// (limit, count); a run of empty buckets becomes one entry with the run's last limit and
    /// count 0. TensorBoard relies on those zero entries to know where a bucket starts.
    /// </summary>
    public HistogramProto ToProto()
    {
        var proto = new HistogramProto { Min = _min, Max = _max, Num = _num, Sum = _sum, SumSquares = _sumSquares };
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        int i = 0;
        while (i < _counts.Length)
        {
            double limit = limits[i];
            long count = _counts[i++];
            if (count == 0)
            {
                while (i < _counts.Length && _counts[i] == 0) limit = limits[i++];
            }
            proto.BucketLimit.Add(limit);
            proto.Bucket.Add(count);
        }
        if (proto.Bucket.Count == 0)
        {
            proto.BucketLimit.Add(double.MaxValue);
            proto.Bucket.Add(0);
        }
        return proto;
    }

    // One vectorized pass for the finiteness check, min, max, sum and sum of squares. Sums are
    // kept in double, as TF adds each value after widening it to double.
    private static void Accumulate(ReadOnlySpan<float> values, string tag,
        out double min, out double max, out double sum, out double sumSquares)
    {
        int i = 0;
        var vMin = new Vector<float>(float.PositiveInfinity);
        var vMax = new Vector<float>(float.NegativeInfinity);
        var vSum = Vector<double>.Zero;
        var vSq = Vector<double>.Zero;
        var allFinite = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (Vector<float> v in vectors)
            {
                // x - x is 0 for finite x and NaN for NaN or +-infinity; OR-ing keeps any NaN
                // bit pattern around so a single test after the loop catches it.
                allFinite |= v - v;
                vMin = Vector.Min(vMin, v);
                vMax = Vector.Max(vMax, v);
                Vector.Widen(v, out Vector<double> lo, out Vector<double> hi);
                vSum += lo + hi;
                vSq += lo * lo + hi * hi;
            }
            i = vectors.Length * Vector<float>.Count;
        }
        if (!Vector.EqualsAll(allFinite, Vector<float>.Zero)) ThrowNonFinite(values, tag);

        float fMin = float.PositiveInfinity, fMax = float.NegativeInfinity;
        for (int k = 0; k < Vector<float>.Count; k++)
        {
            fMin = Math.Min(fMin, vMin[k]);
            fMax = Math.Max(fMax, vMax[k]);
        }
        sum = Vector.Sum(vSum);
        sumSquares = Vector.Sum(vSq);
        for (; i < values.Length; i++)
        {
            float f = values[i];
            if (!float.IsFinite(f)) ThrowNonFinite(values, tag);
            fMin = Math.Min(fMin, f);
            fMax = Math.Max(fMax, f);
            double d = f;
            sum += d;
            sumSquares += d * d;
        }
        min = fMin;
        max = fMax;
    }

    private static void ThrowNonFinite(ReadOnlySpan<float> values, string tag)
    {
        foreach (float f in values)
        {
            if (float.IsNaN(f)) throw new ArgumentException($"Nan in summary histogram for: {tag}", nameof(values));
            if (float.IsInfinity(f)) throw new ArgumentException($"Infinity in summary histogram for: {tag}", nameof(values));
        }
        throw new InvalidOperationException("unreachable: a non-finite value was detected but not found");
    }
}
