using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Summary;

/// <summary>
/// The histogram bucket of a float32 from two table loads, with no logarithm and no search.
/// A float's bits, sign aside, are ordered like its magnitude; their top 12 bits (8 exponent, 4
/// mantissa) cut each binade into 16 cells, each at most 6.25% wide. TF's limits grow by 10%,
/// so at most one limit falls inside a cell: a cell stores the bucket of its smallest magnitude
/// and the one limit inside it, rounded to the float at or above it. Comparing a float with that
/// float threshold decides exactly as comparing with the double limit would, so the result is
/// identical to <see cref="HistogramBuckets.IndexOf"/>'s upper-bound search.
/// </summary>
internal static class FloatBucketTable
{
    private const int MantissaBits = 4;
    private const int CellShift = 23 - MantissaBits;
    private const int CellsPerSign = 1 << (8 + MantissaBits);

    // Cells are indexed by the float's top 13 bits (sign included), so both signs share one
    // formula and the loop has no branch on the sign (random signs would mispredict half the
    // time): bucket = Base[cell] + (v >= Threshold[cell]).
    //   positive cell: Base = bucket of the cell's smallest magnitude; Threshold = the limit
    //     inside the cell (or +inf).
    //   negative cell: the bucket drops by one below a limit L inside the cell, i.e.
    //     bucket = b - (v < L) = (b - 1) + (v >= L); with no limit inside, L = -inf.
    private static readonly ushort[] Base = new ushort[2 * CellsPerSign];
    private static readonly float[] Threshold = new float[2 * CellsPerSign];

    static FloatBucketTable()
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        for (int cell = 0; cell < CellsPerSign; cell++)
        {
            float start = BitConverter.Int32BitsToSingle(cell << CellShift);
            double end = cell + 1 < CellsPerSign ? BitConverter.Int32BitsToSingle((cell + 1) << CellShift) : double.PositiveInfinity;
            int negative = cell + CellsPerSign;
            if (!float.IsFinite(start)) { Threshold[cell] = Threshold[negative] = float.NaN; continue; }

            Base[cell] = checked((ushort)HistogramBuckets.IndexOf(start));
            Threshold[cell] = float.PositiveInfinity;
            Base[negative] = checked((ushort)(HistogramBuckets.IndexOf(-(double)start) - 1));
            Threshold[negative] = float.NegativeInfinity;
            foreach (double l in limits)
            {
                // Positive: from l on (start < l < end) the bucket is one higher.
                if (l > start && l < end) Threshold[cell] = FloatAtOrAbove(l);
                // Negative magnitudes in [start, end): below -l (start <= l < end) one lower.
                if (l >= start && l < end) Threshold[negative] = FloatAtOrAbove(-l);
            }
        }
    }

    /// <summary>The bucket of a finite float (callers reject NaN and infinities first).</summary>
    public static int IndexOf(float value)
    {
        int cell = (int)(BitConverter.SingleToUInt32Bits(value) >> CellShift);
        return Base[cell] + (value >= Threshold[cell] ? 1 : 0);
    }

    /// <summary>
    /// Adds each value's bucket to <paramref name="counts"/>. Four interleaved sub-histograms
    /// (<paramref name="scratch"/>, 4 x buckets) break the store-to-load chain that a run of
    /// values in one bucket (ReLU zeros, small weights) would otherwise serialize on.
    /// </summary>
    public static void Count(ReadOnlySpan<float> values, Span<long> counts, Span<int> scratch)
    {
        scratch[..(4 * counts.Length)].Clear();
        CountInto(values, scratch, counts.Length);
        MergeInto(scratch, counts, 0, counts.Length - 1);
    }

    /// <summary>Adds each value's bucket to the four interleaved sub-histograms in <paramref name="scratch"/>.</summary>
    public static unsafe void CountInto(ReadOnlySpan<float> values, Span<int> scratch, int buckets)
    {
        if (scratch.Length < 4 * buckets || buckets < HistogramBuckets.Count)
            throw new ArgumentException($"Scratch must hold 4 x {buckets} counters for the {HistogramBuckets.Count} buckets.", nameof(scratch));
        // Pointers: every cell index is in the tables (13 bits) and every bucket below the count (checked
        // above), so the bounds checks the JIT kept on the three loads per value are dead weight.
        fixed (float* v = values, thresholds = Threshold)
        fixed (ushort* bases = Base)
        fixed (int* c0 = scratch)
        {
            if (Avx512F.IsSupported && values.Length >= 64)
                CountSkippingZeros(v, values.Length, bases, thresholds, c0, buckets);
            else
                CountLookedUp(v, values.Length, bases, thresholds, c0, buckets);
        }
    }

    /// <summary>Each value's bucket by table lookup, value i into sub-histogram i mod 4 (rows of <paramref name="buckets"/> from c0).</summary>
    private static unsafe void CountLookedUp(float* v, int n, ushort* bases, float* thresholds, int* c0, int buckets)
    {
        int* c1 = c0 + buckets, c2 = c1 + buckets, c3 = c2 + buckets;
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            c0[Bucket(v[i], bases, thresholds)]++;
            c1[Bucket(v[i + 1], bases, thresholds)]++;
            c2[Bucket(v[i + 2], bases, thresholds)]++;
            c3[Bucket(v[i + 3], bases, thresholds)]++;
        }
        for (; i < n; i++) c0[Bucket(v[i], bases, thresholds)]++;
    }

    /// <summary>
    /// ReLU outputs are mostly exact zeros (the test-set activations: about half), all in one bucket: count
    /// them 16 at a time with a compare, and look up buckets only for the rest, compressed into a small
    /// buffer (AVX-512). ±0 compare equal to 0 and share its bucket.
    /// </summary>
    private static unsafe void CountSkippingZeros(float* v, int n, ushort* bases, float* thresholds, int* c0, int buckets)
    {
        const int Block = 1024;
        float* rest = stackalloc float[Block + 16];
        int zeroBucket = IndexOf(0f), zeros = 0, i = 0;
        while (i < n)
        {
            int kept = 0, end = Math.Min(n, i + Block);
            for (; i + 16 <= end; i += 16)
            {
                var x = Vector512.Load(v + i);
                var keep = ~Vector512.Equals(x, Vector512<float>.Zero);
                int count = System.Numerics.BitOperations.PopCount(keep.ExtractMostSignificantBits());
                zeros += 16 - count;
                if (count == 0) continue;
                Avx512F.Compress(Vector512<float>.Zero, keep, x).Store(rest + kept);
                kept += count;
            }
            for (; i < end; i++)
                if (v[i] == 0f) zeros++;
                else rest[kept++] = v[i];
            CountLookedUp(rest, kept, bases, thresholds, c0, buckets);
        }
        c0[zeroBucket] += zeros;
    }

    /// <summary>
    /// Adds the sub-histograms' buckets <paramref name="low"/>..<paramref name="high"/> into
    /// <paramref name="counts"/> and clears them; the caller knows no other bucket was touched.
    /// </summary>
    public static void MergeInto(Span<int> scratch, Span<long> counts, int low, int high)
    {
        int buckets = counts.Length;
        for (int b = low; b <= high; b++)
            counts[b] += (long)scratch[b] + scratch[buckets + b] + scratch[2 * buckets + b] + scratch[3 * buckets + b];
        if (high < low) return;
        for (int k = 0; k < 4; k++) scratch.Slice(k * buckets + low, high - low + 1).Clear();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static unsafe int Bucket(float value, ushort* bases, float* thresholds)
    {
        uint cell = BitConverter.SingleToUInt32Bits(value) >> CellShift;
        return bases[cell] + (value >= thresholds[cell] ? 1 : 0);
    }

    /// <summary>The smallest float &gt;= <paramref name="x"/>: for a float v, v &gt;= x exactly when v &gt;= it.</summary>
    private static float FloatAtOrAbove(double x)
    {
        float f = (float)x;
        return f >= x ? f : MathF.BitIncrement(f);
    }
}
