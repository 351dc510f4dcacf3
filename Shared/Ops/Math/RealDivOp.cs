using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>RealDiv: x / y with broadcasting (tf.div and `/` on floats).</summary>
public sealed class RealDivOp : BinaryOp<DivFn<float>, DivFn<int>, DivFn<long>>
{
    public override string Type => "RealDiv";

    // d/dx = grad / y;  d/dy = grad * (-x / y / y)  — TF's _RealDivGrad, op for op.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        var grad = grads[0]!;
        var (sx, sy, rx, ry) = BroadcastGradient.Args(x, y);
        var dx = BroadcastGradient.SumToShape(Create(grad, y, "RealDiv"), rx, sx);
        var dy = BroadcastGradient.SumToShape(grad * Create(Create(NegOp.Create(x), y, "RealDiv"), y, "RealDiv"), ry, sy);
        return [dx, dy];
    };

    public static Tensor Create(Tensor x, Tensor y, string name = "RealDiv") => Build("RealDiv", x, y, name);
}
