using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Neg: -x.</summary>
public sealed class NegOp : OpDefinition
{
    public override string Type => "Neg";

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            case DType.Float: TensorPrimitives.Negate(x.Floats, y.Floats); break;
            case DType.Int32: TensorPrimitives.Negate<int>(x.Ints, y.Ints); break;
            case DType.Int64: TensorPrimitives.Negate<long>(x.Longs, y.Longs); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' (Neg) does not support {x.DType.TfName()}.");
        }
    }

    public override GradientFunction Gradient => (_, grads) => [Create(grads[0]!)];

    public static Tensor Create(Tensor x, string name = "Neg") =>
        OpBuilder.Create(x.Graph, "Neg", name, [x], OpBuilder.T(x.DType)).Output;
}
