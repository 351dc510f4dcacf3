using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Mul: x * y with broadcasting.</summary>
public sealed class MulOp : BinaryOp<MulFn<float>, MulFn<int>, MulFn<long>>
{
    public override string Type => "Mul";

    // TF 1.9's _MulGrad: with equal, fully known float shapes no reduction is needed.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        var grad = grads[0]!;
        if (x.Shape.IsFullyDefined && x.Shape.Equals(y.Shape) && x.Shape.Equals(grad.Shape) && x.DType is DType.Float or DType.Int32)
            return [Create(grad, y), Create(grad, x)];
        var (sx, sy, rx, ry) = BroadcastGradient.Args(x, y);
        return [BroadcastGradient.SumToShape(Create(grad, y), rx, sx), BroadcastGradient.SumToShape(Create(x, grad), ry, sy)];
    };

    public static Tensor Create(Tensor x, Tensor y, string name = "Mul") => Build("Mul", x, y, name);
}
