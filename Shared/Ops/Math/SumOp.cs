using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Sum over axes (reduce_sum).</summary>
public sealed class SumOp : ReductionOp
{
    public override string Type => "Sum";

    protected override void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output)
    {
        switch (input.DType)
        {
            case DType.Float: Reduction.Reduce<float, SumReducer<float>>(input.Floats, input.Shape, mask, output.Floats); break;
            case DType.Int32: Reduction.Reduce<int, SumReducer<int>>(input.Ints, input.Shape, mask, output.Ints); break;
            case DType.Int64: Reduction.Reduce<long, SumReducer<long>>(input.Longs, input.Shape, mask, output.Longs); break;
            default: throw Unsupported(ctx, input);
        }
    }

    public override GradientFunction Gradient => SumGradient.Build;

    public static Tensor Create(Tensor x, Tensor axes, bool keepDims = false, string name = "Sum") =>
        Build("Sum", x, axes, keepDims, name);

    public static Tensor Create(Tensor x, int[] axes, bool keepDims = false, string name = "Sum") =>
        Build("Sum", x, axes, keepDims, name);
}
