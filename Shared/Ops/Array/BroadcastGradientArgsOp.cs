using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>BroadcastGradientArgs: for two shapes, the axes each input was broadcast along.</summary>
public sealed class BroadcastGradientArgsOp : OpDefinition
{
    public override string Type => "BroadcastGradientArgs";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        [new(DType.Int32, new Shape(-1)), new(DType.Int32, new Shape(-1))];

    public override void Compute(KernelContext ctx)
    {
        var sx = ctx.Input(0).Ints;
        var sy = ctx.Input(1).Ints;
        int rank = Math.Max(sx.Length, sy.Length);
        Span<int> rx = stackalloc int[rank], ry = stackalloc int[rank];
        var (nx, ny) = Broadcasting.GradientReductionAxes(sx, sy, rx, ry);
        rx[..nx].CopyTo(ctx.Output(0, DType.Int32, [nx]).Ints);
        ry[..ny].CopyTo(ctx.Output(1, DType.Int32, [ny]).Ints);
    }

    public static (Tensor Rx, Tensor Ry) Create(Tensor sx, Tensor sy, string name = "BroadcastGradientArgs")
    {
        var op = OpBuilder.Create(sx.Graph, "BroadcastGradientArgs", name, [sx, sy], OpBuilder.T(DType.Int32));
        return (op.Outputs[0], op.Outputs[1]);
    }
}
