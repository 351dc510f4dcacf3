using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Floor: the largest integer not greater than x (float types only, as in TF).</summary>
public sealed class FloorOp : UnaryOp, ITileKernel
{
    int ITileKernel.TileOperandCount => 1;
    void ITileKernel.Tile(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, long first, ulong runState) =>
        TensorPrimitives.Floor(x, output);

    public override string Type => "Floor";

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DType != DType.Float) throw Unsupported(ctx, x);
        FloatMap.Run(x.FloatArray, ctx.Output(0, x.DType, x.Shape).FloatArray, x.Size, static (i, o) => TensorPrimitives.Floor(i, o));
    }

    // TF's _FloorGrad returns [None].
    public override GradientFunction Gradient => (_, _) => [null];

    public static Tensor Create(Tensor x, string name = "Floor") => Build("Floor", x, name);
}
