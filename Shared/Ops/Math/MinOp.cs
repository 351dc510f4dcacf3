using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Min over axes (reduce_min).</summary>
public sealed class MinOp : ReductionOp
{
    public override string Type => "Min";

    protected override void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output)
    {
        switch (input.DType)
        {
            case DType.Float: Reduction.Reduce<float, MinReducer<float>>(input.Floats, input.Shape, mask, output.Floats); break;
            case DType.Int32: Reduction.Reduce<int, MinReducer<int>>(input.Ints, input.Shape, mask, output.Ints); break;
            case DType.Int64: Reduction.Reduce<long, MinReducer<long>>(input.Longs, input.Shape, mask, output.Longs); break;
            default: throw Unsupported(ctx, input);
        }
    }

    public override GradientFunction Gradient => MinMaxGradient.Build;

    public static Tensor Create(Tensor x, Tensor axes, bool keepDims = false, string name = "Min") =>
        Build("Min", x, axes, keepDims, name);

    public static Tensor Create(Tensor x, int[] axes, bool keepDims = false, string name = "Min") =>
        Build("Min", x, axes, keepDims, name);
}
