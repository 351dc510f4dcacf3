using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Runtime;

/// <summary>
/// <c>MatMul(Round(x), w)</c> with a mostly-zero Round(x) — the original's binarised input layer — in one
/// pass over x: the sparse-left product's gather rounds each row, writes it to Round's output and
/// collects its non-zeros (<see cref="Gemm.MultiplySparseLeftRounding"/>). Unfused, Round writes 31 MB
/// for the test set and the product reads them back. Fused, only the rows that other readers need are
/// written (<paramref name="roundDemand"/>: the image summary's ten); the rest of Round's output is left as
/// it was, which no step of this plan reads. With a bias add (and its ReLU) as members, each row of the product gets
/// the bias and the ReLU as it is finished (row pairs in registers, a lone row by the Add's and Relu's own
/// TensorPrimitives calls; the same IEEE operations either way), and the product itself is never stored: the sum
/// is its only reader. Anything else (a dense x, a narrow product, other
/// shapes or dtypes, the scalar tier) runs the two ops' own kernels; the bits are the same either way.
/// </summary>
internal sealed class RoundMatMulKernel(KernelContext[] members, long? roundDemand) : FusedKernel(members)
{
    public override string Type => "_RoundMatMul";

    public override void Compute(KernelContext ctx)
    {
        KernelProbe.Took(KernelProbe.Path.FusedStep);
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
        int rows = x.Shape[0], cols = x.Shape[1];
        // The epilogue: the bias add (the product's only reader) writes the sum in place of the product.
        KernelContext? add = Members.Length > 2 ? Members[2] : null, relu = Members.Length > 3 ? Members[3] : null;
        NDArray? bias = add?.Input(add.Op.Inputs[0] == matmul.Op.Outputs[0] ? 1 : 0);
        if (bias is not null && (bias.DType != DType.Float || bias.Rank != 1 || bias.Size != n))
        {
            RunUnfused();
            return;
        }
        var rounded = round.Output(0, DType.Float, x.Shape);
        var product = (add ?? matmul).Output(0, DType.Float, [rows, n]);
        var activation = relu?.Output(0, DType.Float, [rows, n]);
        int roundedRows = roundDemand is not { } demand || cols == 0 ? rows : (int)Math.Min(rows, (demand + cols - 1) / cols);
        if (!Gemm.MultiplySparseLeftRounding(x.Floats, rows, cols, rounded.Floats, roundedRows, w.Floats, w.Shape[0], w.Shape[1], transposeB,
                product.Floats, bias is null ? default : bias.Floats, activation is null ? default : activation.Floats))
            RunUnfused();
    }
}
