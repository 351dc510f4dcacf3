using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>ShapeN: the shapes of N tensors as N int32 vectors (ConcatV2's gradient uses it).</summary>
public sealed class ShapeNOp : OpDefinition
{
    public override string Type => "ShapeN";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var outType = op.Attrs.GetType("out_type");
        return op.Inputs.Select(t => new OutputSpec(outType, new Shape(t.Shape.IsKnownRank ? t.Shape.Rank : -1))).ToArray();
    }

    public override void Compute(KernelContext ctx)
    {
        for (int i = 0; i < ctx.InputCount; i++)
        {
            var input = ctx.Input(i);
            input.Shape.CopyTo(ctx.Output(i, DType.Int32, [input.Rank]).Ints);
        }
    }

    public static Tensor[] Create(IReadOnlyList<Tensor> inputs, string name = "ShapeN")
    {
        var op = OpBuilder.Create(inputs[0].Graph, "ShapeN", name, inputs,
            ("N", Attr.Int(inputs.Count)), OpBuilder.T(inputs[0].DType), ("out_type", Attr.Type(DType.Int32)));
        return op.Outputs.ToArray();
    }
}
