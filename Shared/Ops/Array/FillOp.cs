using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Fill: a tensor of shape <c>dims</c> holding the scalar <c>value</c> everywhere.</summary>
public sealed class FillOp : OpDefinition
{
    public override string Type => "Fill";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var dims = op.Inputs[0];
        var value = op.Inputs[1];
        var shape = ConstantValue.Ints(dims) is { } known ? new Shape(known)
            : dims.Shape.IsFullyDefined ? Shape.UnknownOfRank(dims.Shape[0]) : Shape.Unknown;
        return [new(value.DType, shape)];
    }

    public override void Compute(KernelContext ctx)
    {
        var dims = ctx.Input(0).Ints;
        var value = ctx.Input(1);
        var output = ctx.Output(0, value.DType, dims);
        switch (value.DType)
        {
            case DType.Float: output.Floats.Fill(value.Floats[0]); break;
            case DType.Int32: output.Ints.Fill(value.Ints[0]); break;
            case DType.Int64: output.Longs.Fill(value.Longs[0]); break;
            case DType.Bool: output.Bools.Fill(value.Bools[0]); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' cannot fill {value.DType.TfName()}.");
        }
    }

    // d/d(value) = sum of the incoming gradient; dims get none.
    public override GradientFunction Gradient => (_, grads) => [null, SumOp.Create(grads[0]!, AllAxes(grads[0]!))];

    private static Tensor AllAxes(Tensor t) => RangeOfRank(t);

    internal static Tensor RangeOfRank(Tensor t)
    {
        if (t.Shape.IsKnownRank) return ConstOp.Vector(t.Graph, Enumerable.Range(0, t.Shape.Rank).ToArray());
        throw new NotSupportedException($"Reducing '{t.Name}' over all axes needs a known rank.");
    }

    public static Tensor Create(Tensor dims, Tensor value, string name = "Fill") =>
        OpBuilder.Create(dims.Graph, "Fill", name, [dims, value], OpBuilder.T(value.DType), ("index_type", Attr.Type(DType.Int32))).Output;
}
