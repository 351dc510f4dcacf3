using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Shape: the run-time shape of its input as an int32 vector.</summary>
public sealed class ShapeOp : OpDefinition
{
    public override string Type => "Shape";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0].Shape;
        return [new(op.Attrs.GetType("out_type"), input.IsKnownRank ? new Shape(input.Rank) : new Shape(-1))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var output = ctx.Output(0, DType.Int32, [input.Rank]);
        input.Shape.CopyTo(output.Ints);
    }

    public static Tensor Create(Tensor input, string name = "Shape") =>
        OpBuilder.Create(input.Graph, "Shape", name, [input], OpBuilder.T(input.DType), ("out_type", Attr.Type(DType.Int32))).Output;
}
