using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace TfMnist.Kernels;

/// <summary>
/// ArgMax over the last axis of float rows, with TensorPrimitives.IndexOfMax's answer for every
/// row: the first index of the largest value, where +0 counts as larger than -0 and a NaN as
/// larger than anything (so the first NaN wins). TF leaves NaN unspecified; this keeps the engine's
/// earlier answers.
/// </summary>
internal static unsafe class ArgMaxRows
{
    private const int Lanes = RowBlock16.Rows;

    /// <summary>
    /// Longest rows the lane-per-row path takes: a block transposes into one vector per position.
    /// Longer rows go to IndexOfMax, which vectorizes along the row; for short rows (10 classes)
    /// its per-call cost dominates (~6 ns a row here, against ~2 ns lane per row).
    /// </summary>
    public const int MaxLaneLength = 16;

    /// <summary>Whether <see cref="Run(ReadOnlySpan{float}, int, int, Span{int}, bool)"/> can take the lane-per-row path on this CPU.</summary>
    public static bool LanePerRowSupported => Avx512F.IsSupported;

    /// <summary>output[r] = argmax of x[r * n .. r * n + n) for r in [0, rows).</summary>
    public static void Run(ReadOnlySpan<float> x, int rows, int n, Span<int> output, bool lanePerRow) =>
        Run<int>(x, rows, n, output, lanePerRow);

    /// <inheritdoc cref="Run(ReadOnlySpan{float}, int, int, Span{int}, bool)"/>
    public static void Run(ReadOnlySpan<float> x, int rows, int n, Span<long> output, bool lanePerRow) =>
        Run<long>(x, rows, n, output, lanePerRow);

    private static void Run<TIndex>(ReadOnlySpan<float> x, int rows, int n, Span<TIndex> output, bool lanePerRow)
        where TIndex : unmanaged, System.Numerics.IBinaryInteger<TIndex>
    {
        if (lanePerRow && LanePerRowSupported && n <= MaxLaneLength && rows >= Lanes)
        {
            var rowMask = RowBlock16.RowMask(n);
            var columns = stackalloc Vector512<float>[Lanes];
            fixed (float* p = x)
            fixed (TIndex* o = output)
            {
                // When rows is not a multiple of 16 the last block overlaps the one before it (and
                // writes the same answers again).
                for (int next = 0; next < rows; next += Lanes)
                {
                    int r = Math.Min(next, rows - Lanes);
                    RowBlock16.LoadColumns(p + r * n, n, rowMask, columns);
                    var best = Block(columns, n);
                    if (typeof(TIndex) == typeof(int)) best.Store((int*)o + r);
                    else
                    {
                        Avx512F.ConvertToVector512Int64(best.GetLower()).Store((long*)o + r);
                        Avx512F.ConvertToVector512Int64(best.GetUpper()).Store((long*)o + r + 8);
                    }
                }
            }
            return;
        }
        // Fewer than 16 rows, long rows, or no AVX-512.
        for (int r = 0; r < rows; r++) output[r] = TIndex.CreateTruncating(TensorPrimitives.IndexOfMax(x.Slice(r * n, n)));
    }

    /// <summary>The argmax of 16 rows of n values, transposed (lane r of columns[k] is row r's value k).</summary>
    private static Vector512<int> Block(Vector512<float>* columns, int n)
    {
        var bestKey = OrderKey(columns[0]);
        var best = Vector512<int>.Zero;
        for (int k = 1; k < n; k++)
        {
            var key = OrderKey(columns[k]);
            // Strictly greater: ties keep the first index.
            best = Vector512.ConditionalSelect(Vector512.GreaterThan(key, bestKey), Vector512.Create(k), best);
            bestKey = Vector512.Max(bestKey, key);
        }
        return best;
    }

    /// <summary>
    /// An int that orders floats as IndexOfMax does, so one integer compare replaces the NaN and
    /// signed-zero cases: for non-NaN the bits with the magnitude flipped when negative (monotonic,
    /// -0 just below +0), and int.MaxValue for every NaN (above +inf, all NaNs equal).
    /// </summary>
    private static Vector512<int> OrderKey(Vector512<float> v)
    {
        var bits = v.AsInt32();
        var ordered = bits ^ Vector512.ShiftRightLogical(Vector512.ShiftRightArithmetic(bits, 31), 1);
        return Vector512.ConditionalSelect(Vector512.Equals(v, v).AsInt32(), ordered, Vector512.Create(int.MaxValue));
    }
}
