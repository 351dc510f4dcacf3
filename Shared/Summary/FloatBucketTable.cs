using System.Runtime.CompilerServices;
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

    // The same two facts packed in one 32-bit entry per cell, for a vector gather: bucket = (entry & 0x7FF) +
    // (key >= entry >> 11), where key is the value's low 19 bits, flipped for a negative value (in a negative
    // cell v >= L exactly when |v| <= |L|, i.e. when the flipped low bits are at least L's flipped ones), and
    // 0x80000, above every key, stands for "no limit in this cell".
    private static readonly uint[] Packed = new uint[2 * CellsPerSign];
    private const uint LowMask = (1u << CellShift) - 1;
    private const int BaseBits = 11;
    private const uint NoLimit = LowMask + 1;

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
            Packed[cell] = Pack(Base[cell], Threshold[cell], cell, flip: false);
            Packed[negative] = Pack(Base[negative], Threshold[negative], negative, flip: true);
        }
    }

    /// <summary>One cell's packed entry: its base bucket and the key from which values get one more.</summary>
    private static uint Pack(ushort bucket, float threshold, int cell, bool flip)
    {
        if (bucket >= 1 << BaseBits) throw new InvalidOperationException($"Bucket {bucket} needs more than {BaseBits} bits.");
        uint bits = BitConverter.SingleToUInt32Bits(threshold);
        // -inf (a negative cell with no limit) is reached by every value, so every key counts (0); a threshold
        // outside the cell (+inf, or rounded up to the next cell's first float) by none.
        if (float.IsNegativeInfinity(threshold)) return bucket;
        if (!float.IsFinite(threshold) || bits >> CellShift != (uint)cell) return bucket | NoLimit << BaseBits;
        uint key = flip ? (bits & LowMask) ^ LowMask : bits & LowMask;
        return bucket | key << BaseBits;
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
        fixed (uint* packed = Packed)
        fixed (int* c0 = scratch)
        {
            if (Avx512F.IsSupported && values.Length >= 64)
                CountGathered(v, values.Length, packed, c0, buckets);
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
    /// The AVX-512 path, in blocks of 1024 values. ReLU outputs are mostly exact zeros (the test-set
    /// activations: about half), all in one bucket: they are counted sixteen at a time with a compare and the
    /// rest compressed into a small buffer. Those get their buckets sixteen at a time: the packed entries by two
    /// 8-lane gathers, the compare and add in vector registers, the buckets written over the values in place.
    /// Only the increments are scalar (four sub-histograms interleaved). ±0 compare equal to 0 and share its
    /// bucket. The stages are separate methods because as one the JIT spilled their pointers and constants for every
    /// value (timings against the scalar lookups: tests/Bench/README.md).
    /// </summary>
    private static unsafe void CountGathered(float* v, int n, uint* packed, int* c0, int buckets)
    {
        const int Block = 1024;
        float* rest = stackalloc float[Block + 16];
        int zeroBucket = IndexOf(0f), zeros = 0, i = 0;
        while (i < n)
        {
            int end = Math.Min(n, i + Block);
            int kept = CompressNonZeros(v + i, end - i, rest, ref zeros);
            BucketsInPlace(rest, kept, packed);
            Increment((int*)rest, kept, c0, buckets);
            i = end;
        }
        c0[zeroBucket] += zeros;
    }

    // The three stages are separate methods so that each loop gets the registers to itself: in one method the
    // JIT spilled the sub-histogram pointers and the gather's constants, reloading them from the stack for every
    // value.

    /// <summary>The non-zero values of v[0, count) to the front of <paramref name="rest"/>; returns how many, counting the zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe int CompressNonZeros(float* v, int count, float* rest, ref int zeros)
    {
        int kept = 0, i = 0, zeroCount = 0;
        for (; i + 16 <= count; i += 16)
        {
            var x = Vector512.Load(v + i);
            var keep = ~Vector512.Equals(x, Vector512<float>.Zero);
            int nonZero = System.Numerics.BitOperations.PopCount(keep.ExtractMostSignificantBits());
            zeroCount += 16 - nonZero;
            if (nonZero == 0) continue;
            Avx512F.Compress(Vector512<float>.Zero, keep, x).Store(rest + kept);
            kept += nonZero;
        }
        for (; i < count; i++)
            if (v[i] == 0f) zeroCount++;
            else rest[kept++] = v[i];
        zeros += zeroCount;
        return kept;
    }

    /// <summary>
    /// Each of values[0, count)'s bucket, sixteen at a time, written over the value as an int: the packed entries
    /// by two 8-lane gathers, the compare and add in vector registers. Lanes past count hold stale values; their
    /// buckets are computed and ignored (every cell has an entry).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void BucketsInPlace(float* values, int count, uint* packed)
    {
        var lowMask = Vector512.Create(LowMask);
        var baseMask = Vector512.Create((1u << BaseBits) - 1);
        for (int k = 0; k < count; k += 16)
        {
            var bits = Vector512.Load((uint*)values + k);
            var cell = (bits >> CellShift).AsInt32();
            var entry = Vector512.Create(
                Avx2.GatherVector256((int*)packed, cell.GetLower(), 4),
                Avx2.GatherVector256((int*)packed, cell.GetUpper(), 4)).AsUInt32();
            var flip = (bits.AsInt32() >> 31).AsUInt32() & lowMask;
            var key = ((bits & lowMask) ^ flip).AsInt32();
            var reached = Vector512.GreaterThanOrEqual(key, (entry >> BaseBits).AsInt32());
            ((entry & baseMask).AsInt32() - reached).Store((int*)values + k);
        }
    }

    /// <summary>Adds one to each listed bucket, value j into sub-histogram j mod 4 (rows of <paramref name="buckets"/> from c0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Increment(int* found, int count, int* c0, int buckets)
    {
        int* c1 = c0 + buckets, c2 = c1 + buckets, c3 = c2 + buckets;
        int j = 0;
        for (; j + 4 <= count; j += 4)
        {
            c0[found[j]]++;
            c1[found[j + 1]]++;
            c2[found[j + 2]]++;
            c3[found[j + 3]]++;
        }
        for (; j < count; j++) c0[found[j]]++;
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
