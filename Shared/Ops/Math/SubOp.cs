using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Sub: x - y with broadcasting.</summary>
public sealed class SubOp : BinaryOp<SubFn<float>, SubFn<int>, SubFn<long>>
{
    public override string Type => "Sub";

    public override GradientFunction Gradient => (op, grads) =>
    {
        var grad = grads[0]!;
        var (sx, sy, rx, ry) = BroadcastGradient.Args(op.Inputs[0], op.Inputs[1]);
        return [BroadcastGradient.SumToShape(grad, rx, sx), BroadcastGradient.SumToShape(NegOp.Create(grad), ry, sy)];
    };

    public static Tensor Create(Tensor x, Tensor y, string name = "Sub") => Build("Sub", x, y, name);
}
