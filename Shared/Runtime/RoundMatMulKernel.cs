using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Runtime;

/// <summary>
/// <c>MatMul(Round(x), w)</c> with a mostly-zero Round(x) — the original's binarised input layer — in one
/// pass over x: the sparse-left product's gather rounds each row, writes it to Round's output and
/// collects its non-zeros (<see cref="Gemm.MultiplySparseLeftRounding"/>). Unfused, Round writes 31 MB
/// for the test set and the product reads them back. Fused, only the rows that other readers need are
/// written (<paramref name="roundDemand"/>: the image summary's ten); the rest of Round's output is left as
/// it was, which no step of this plan reads. Anything else (a dense x, a narrow product, other
/// shapes or dtypes, the scalar tier) runs the two ops' own kernels; the bits are the same either way.
/// </summary>
internal sealed class RoundMatMulKernel(KernelContext[] members, long? roundDemand) : FusedKernel(members)
{
    public override string Type => "_RoundMatMul";

    public override void Compute(KernelContext ctx)
    {
        var (round, matmul) = (Members[0], Members[1]);
        var x = round.Input(0);
        var w = matmul.Input(1);
        bool transposeB = matmul.Op.Attrs.GetBool("transpose_b", false);
        if (x.DType != DType.Float || w.DType != DType.Float || x.Rank != 2 || w.Rank != 2
            || x.Shape[1] != (transposeB ? w.Shape[1] : w.Shape[0]))
        {
            RunUnfused();
            return;
        }
        int n = transposeB ? w.Shape[0] : w.Shape[1];
        // The rule MatMul itself applies to Round's output, judged on x before rounding.
        if (!Gemm.MatMulPrefersSparse(x.Floats, x.Shape[0], x.Shape[1], n, rounded: true))
        {
            RunUnfused();
            return;
        }
        var rounded = round.Output(0, DType.Float, x.Shape);
        var product = matmul.Output(0, DType.Float, [x.Shape[0], n]);
        int rows = x.Shape[0], cols = x.Shape[1];
        int roundedRows = roundDemand is not { } demand || cols == 0 ? rows : (int)Math.Min(rows, (demand + cols - 1) / cols);
        if (!Gemm.MultiplySparseLeftRounding(x.Floats, rows, cols, rounded.Floats, roundedRows, w.Floats, w.Shape[0], w.Shape[1], transposeB, product.Floats))
            RunUnfused();
    }
}
