using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>ZerosLike: zeros of the input's shape and dtype (TF fills missing gradients with it).</summary>
public sealed class ZerosLikeOp : OpDefinition
{
    public override string Type => "ZerosLike";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var output = ctx.Output(0, input.DType, input.Shape);
        Array.Clear(output.Data, 0, output.Size);
    }

    public static Tensor Create(Tensor x, string name = "zeros_like") =>
        OpBuilder.Create(x.Graph, "ZerosLike", name, [x], OpBuilder.T(x.DType)).Output;
}

/// <summary>OnesLike: ones of the input's shape and dtype.</summary>
public sealed class OnesLikeOp : OpDefinition
{
    public override string Type => "OnesLike";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var output = ctx.Output(0, input.DType, input.Shape);
        switch (input.DType)
        {
            case DType.Float: output.Floats.Fill(1f); break;
            case DType.Int32: output.Ints.Fill(1); break;
            case DType.Int64: output.Longs.Fill(1); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' does not support {input.DType.TfName()}.");
        }
    }

    public static Tensor Create(Tensor x, string name = "ones_like") =>
        OpBuilder.Create(x.Graph, "OnesLike", name, [x], OpBuilder.T(x.DType)).Output;
}
