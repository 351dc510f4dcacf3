using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Kernels;

/// <summary>
/// The rows of SoftmaxCrossEntropyWithLogits: per row of logits x and labels l (C classes),
/// loss = sum(l) * ln(sum(e)) - sum(l * (x - max)) and backprop = e / sum(e) - l, with
/// e = exp(x - max). The row max is subtracted so large logits do not overflow.
/// </summary>
internal static unsafe class SoftmaxCrossEntropyRows
{
    private const int Lanes = RowBlock16.Rows;

    /// <summary>
    /// Widest rows the lane-per-row path takes: a block transposes into one vector per class.
    /// Wider rows go to the scalar loop (correct, not tuned: the models here have 10 classes).
    /// </summary>
    public const int MaxLaneClasses = 16;

    /// <summary>Whether <see cref="Run"/> can take the lane-per-row path on this CPU.</summary>
    public static bool LanePerRowSupported => Avx512F.IsSupported;

    /// <summary>Rows [first, first + count) of the loss and backprop, lane per row when <paramref name="lanePerRow"/> allows.</summary>
    public static void Run(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> loss, Span<float> backprop,
        int first, int count, int classes, bool lanePerRow)
    {
        if (count == 0) return;
        // The lanes' exp and log are approximations of their own: a reference run takes the scalar loop.
        if (lanePerRow && LanePerRowSupported && classes <= MaxLaneClasses && !KernelPolicy.Reference)
        {
            KernelProbe.Took(KernelProbe.Path.LanePerRow);
            LanePerRow(logits, labels, loss, backprop, first, count, classes);
        }
        else
            Scalar(logits, labels, loss, backprop, first, count, classes);
    }

    /// <summary>
    /// Rows are short (10 classes), so SIMD along a row would be mostly setup and horizontal
    /// reductions. Instead each block of 16 rows is transposed, one row per lane, so the row max,
    /// the sums, exp and log run 16 rows at a time, and the backprop is transposed back.
    /// </summary>
    private static void LanePerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> loss, Span<float> backprop,
        int first, int count, int classes)
    {
        var rowMask = RowBlock16.RowMask(classes);
        var work = stackalloc Vector512<float>[2 * Lanes];
        fixed (float* x = logits, l = labels, lossOut = loss, bp = backprop)
        {
            int end = first + count;
            if (count >= Lanes)
            {
                // When count is not a multiple of 16 the last block overlaps the one before it and
                // writes the same values again (each lane depends only on its own row), rather than
                // taking a slower, differently rounded path for the leftover rows.
                for (int b = first; b < end; b += Lanes)
                {
                    int at = Math.Min(b, end - Lanes);
                    Block(x + at * classes, l + at * classes, lossOut + at, bp + at * classes, classes, rowMask, work);
                }
                return;
            }
            // Fewer than 16 rows: run one block on a copy padded with zero rows (whose results are dropped).
            int used = count * classes, blockLength = Lanes * classes;
            float* paddedX = stackalloc float[blockLength], paddedL = stackalloc float[blockLength];
            float* paddedBp = stackalloc float[blockLength], paddedLoss = stackalloc float[Lanes];
            var xs = new Span<float>(paddedX, blockLength);
            var ls = new Span<float>(paddedL, blockLength);
            logits.Slice(first * classes, used).CopyTo(xs);
            labels.Slice(first * classes, used).CopyTo(ls);
            xs[used..].Clear();
            ls[used..].Clear();
            Block(paddedX, paddedL, paddedLoss, paddedBp, classes, rowMask, work);
            new ReadOnlySpan<float>(paddedLoss, count).CopyTo(loss.Slice(first, count));
            new ReadOnlySpan<float>(paddedBp, used).CopyTo(backprop.Slice(first * classes, used));
        }
    }

    /// <summary>16 rows starting at x and l; work is 32 vectors of scratch.</summary>
    private static void Block(float* x, float* l, float* loss, float* bp, int classes, Vector512<float> rowMask, Vector512<float>* work)
    {
        // Lane r is row r from here on; xs[j] and ls[j] are class j.
        Vector512<float>* xs = work, ls = work + Lanes;
        RowBlock16.LoadColumns(x, classes, rowMask, xs);
        RowBlock16.LoadColumns(l, classes, rowMask, ls);
        // maxps is not IEEE max for NaN or signed zeros, but neither matters: a NaN logit makes its
        // row's sum NaN whatever the max, and x - max is +-0 either way for zeros.
        var max = xs[0];
        for (int j = 1; j < classes; j++) max = Avx512F.Max(max, xs[j]);
        Vector512<float> dot = default, labelSum = default, sum = default;
        for (int j = 0; j < classes; j++)
        {
            var shifted = xs[j] - max;
            var label = ls[j];
            dot = Vector512.FusedMultiplyAdd(label, shifted, dot);
            labelSum += label;
            var e = Vector512Math.Exp(shifted);
            xs[j] = e;
            sum += e;
        }
        // sum >= 1 (the max's own term is exp(0) = 1), so the log is in range unless a NaN came in.
        Vector512.FusedMultiplyAdd(labelSum, Vector512Math.Log(sum), -dot).Store(loss);
        var inverse = Vector512<float>.One / sum;
        for (int j = 0; j < classes; j++) xs[j] = Vector512.FusedMultiplyAdd(xs[j], inverse, -ls[j]);
        RowBlock16.StoreColumns(xs, classes, rowMask, bp);
    }

    /// <summary>One row at a time with MathF.Exp: CPUs without AVX-512, and rows wider than <see cref="MaxLaneClasses"/>.</summary>
    private static void Scalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> loss, Span<float> backprop,
        int first, int count, int classes)
    {
        for (int b = first; b < first + count; b++)
        {
            var row = logits.Slice(b * classes, classes);
            var label = labels.Slice(b * classes, classes);
            var bp = backprop.Slice(b * classes, classes);
            float max = row[0];
            for (int j = 1; j < classes; j++) max = MathF.Max(max, row[j]);
            float shiftedDot = 0f, sumExp = 0f, labelSum = 0f;
            for (int j = 0; j < classes; j++)
            {
                float shifted = row[j] - max;
                shiftedDot += label[j] * shifted;
                labelSum += label[j];
                float e = MathF.Exp(shifted);
                bp[j] = e;
                sumExp += e;
            }
            loss[b] = labelSum * MathF.Log(sumExp) - shiftedDot;
            float inverse = 1f / sumExp;
            for (int j = 0; j < classes; j++) bp[j] = bp[j] * inverse - label[j];
        }
    }
}
