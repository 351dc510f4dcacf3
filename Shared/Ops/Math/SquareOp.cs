using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Square: x * x.</summary>
public sealed class SquareOp : UnaryOp
{
    public override string Type => "Square";

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            case DType.Float: TensorPrimitives.Multiply(x.Floats, x.Floats, y.Floats); break;
            case DType.Int32: TensorPrimitives.Multiply<int>(x.Ints, x.Ints, y.Ints); break;
            case DType.Int64: TensorPrimitives.Multiply<long>(x.Longs, x.Longs, y.Longs); break;
            default: throw Unsupported(ctx, x);
        }
    }

    // TF's _SquareGrad: under control_dependencies([grad]), y = constant(2.0) ("Const", which
    // gets the ^grad control input), then grad * (x * y) as "Mul" and "Mul_1". TF prunes the
    // control input from the two Muls (their inputs were made in the block), so they are
    // created outside it here.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var x = op.Inputs[0];
        var grad = grads[0]!;
        Tensor two;
        using (x.Graph.ControlDependencies([grad.Op]))
            two = ConstOp.Scalar(x.Graph, 2f, x.DType);
        return [MulOp.Create(grad, MulOp.Create(x, two))];
    };

    public static Tensor Create(Tensor x, string name = "Square") => Build("Square", x, name);
}
