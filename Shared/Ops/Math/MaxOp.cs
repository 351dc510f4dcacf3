using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Max over axes (reduce_max).</summary>
public sealed class MaxOp : ReductionOp
{
    public override string Type => "Max";

    protected override void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output)
    {
        switch (input.DType)
        {
            case DType.Float: Reduction.Reduce<float, MaxReducer<float>>(input.Floats, input.Shape, mask, output.Floats); break;
            case DType.Int32: Reduction.Reduce<int, MaxReducer<int>>(input.Ints, input.Shape, mask, output.Ints); break;
            case DType.Int64: Reduction.Reduce<long, MaxReducer<long>>(input.Longs, input.Shape, mask, output.Longs); break;
            default: throw Unsupported(ctx, input);
        }
    }

    public override GradientFunction Gradient => MinMaxGradient.Build;

    public static Tensor Create(Tensor x, Tensor axes, bool keepDims = false, string name = "Max") =>
        Build("Max", x, axes, keepDims, name);

    public static Tensor Create(Tensor x, int[] axes, bool keepDims = false, string name = "Max") =>
        Build("Max", x, axes, keepDims, name);
}
