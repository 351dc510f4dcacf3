using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Kernels;

/// <summary>The non-zero entries of a contiguous float range, for the sparse-left GEMM.</summary>
internal static unsafe class SparseGather
{
    /// <summary>Extra slots the output lists need past the count: the 16-lane compress stores all lanes.</summary>
    public const int Overhang = 16;

    [ThreadStatic] private static ScratchBuffer? t_lists;

    /// <summary>This thread's offset and value lists, room for <paramref name="entries"/> non-zeros plus the overhang.</summary>
    public static void Lists(int entries, out int* offsets, out float* values) =>
        Lists(entries, out offsets, out values, out _, out _, out _);

    /// <summary>As above and a row of as many floats (for a Round's rows that are not stored).</summary>
    public static void Lists(int entries, out int* offsets, out float* values, out float* row) =>
        Lists(entries, out offsets, out values, out _, out row, out _);

    /// <summary>As above with a second value list and a second row (for row pairs).</summary>
    public static void Lists(int entries, out int* offsets, out float* values, out float* values2, out float* row, out float* row2)
    {
        nint capacity = (nint)entries + Overhang;
        offsets = (t_lists ??= new ScratchBuffer()).Get<int>(5 * capacity);
        values = (float*)(offsets + capacity);
        values2 = values + capacity;
        row = values2 + capacity;
        row2 = row + capacity;
    }

    /// <summary>
    /// Round(x[0, k)) into <paramref name="rounded"/> with the Round op's own kernel (<see cref="RoundHalfEven"/>),
    /// so a fused Round writes its bits.
    /// </summary>
    public static void RoundRow(float* x, float* rounded, int k) => RoundHalfEven.Run(x, rounded, k);

    /// <summary>
    /// Collects, for p in [start, end) ascending, the non-zero x[p] into <paramref name="values"/> and
    /// (p - start) * <paramref name="scale"/> into <paramref name="offsets"/>; returns how many. Both lists need
    /// room for end - start + <see cref="Overhang"/> entries. ±0 counts as zero; NaN does not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int NonZeros(float* x, int start, int end, int scale, int* offsets, float* values, bool useAvx512)
    {
        int count = 0, p = start;
        if (useAvx512 && Avx512F.IsSupported)
        {
            // Branch-free: compress the non-zero lanes (values and their offsets) to the front and store all
            // 16 lanes; the next store overwrites the lanes past the count.
            var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * scale;
            var step = Vector512.Create(16 * scale);
            var offset = lane;
            for (; p + 16 <= end; p += 16)
            {
                var v = Vector512.Load(x + p);
                var keep = ~Vector512.Equals(v, Vector512<float>.Zero);
                // Whole blocks of zeros are common (an image's margins) and come in runs, so this branch
                // predicts well and saves both compresses.
                if (keep == Vector512<float>.Zero)
                {
                    offset += step;
                    continue;
                }
                Avx512F.Compress(Vector512<float>.Zero, keep, v).Store(values + count);
                Avx512F.Compress(Vector512<int>.Zero, keep.AsInt32(), offset).Store(offsets + count);
                count += BitOperations.PopCount(keep.ExtractMostSignificantBits());
                offset += step;
            }
        }
        // Branch-free scalar loop (zero and non-zero columns interleave unpredictably): always write,
        // advance only past a non-zero.
        for (; p < end; p++)
        {
            float v = x[p];
            offsets[count] = (p - start) * scale;
            values[count] = v;
            count += v != 0f ? 1 : 0;
        }
        return count;
    }
}
