using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Prod over axes (reduce_prod); the engine uses it on int32 shapes (Mean's gradient).</summary>
public sealed class ProdOp : ReductionOp
{
    public override string Type => "Prod";

    protected override void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output)
    {
        switch (input.DType)
        {
            case DType.Float: Reduction.Reduce<float, ProdReducer<float>>(input.Floats, input.Shape, mask, output.Floats); break;
            case DType.Int32: Reduction.Reduce<int, ProdReducer<int>>(input.Ints, input.Shape, mask, output.Ints); break;
            case DType.Int64: Reduction.Reduce<long, ProdReducer<long>>(input.Longs, input.Shape, mask, output.Longs); break;
            default: throw Unsupported(ctx, input);
        }
    }

    // TF's _ProdGrad (two exclusive cumprods over a transposed, reshaped input) needs Cumprod,
    // Transpose, ListDiff, Gather and InvertPermutation, which this engine does not have yet.
    // Prod is differentiable in TF, so it is not marked NotDifferentiable: asking for its
    // gradient fails loudly, naming the op, instead of silently treating it as a constant.
    public override GradientFunction Gradient => (op, _) =>
        throw new NotSupportedException($"The gradient of '{op.Name}' (Prod) is not implemented in this engine.");

    public static Tensor Create(Tensor x, Tensor axes, bool keepDims = false, string name = "Prod") =>
        Build("Prod", x, axes, keepDims, name);

    public static Tensor Create(Tensor x, int[] axes, bool keepDims = false, string name = "Prod") =>
        Build("Prod", x, axes, keepDims, name);

    /// <summary>
    /// math_ops.reduce_prod(x) with no axis: the axes are a Const "Const" (0..rank-1) made
    /// before the "Prod" node, as TF's _ReductionDims does.
    /// </summary>
    public static Tensor ReduceProd(Tensor x, string name = "Prod")
    {
        if (!x.Shape.IsKnownRank)
            throw new NotSupportedException($"reduce_prod over all axes of '{x.Name}' needs a known rank.");
        var axes = ConstOp.Vector(x.Graph, Enumerable.Range(0, x.Shape.Rank).ToArray());
        return Build("Prod", x, axes, false, name);
    }
}
