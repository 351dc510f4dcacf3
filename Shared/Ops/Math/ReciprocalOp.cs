using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Reciprocal: 1 / x elementwise (float). Log's and Log1p's gradients use it, as in TF.</summary>
public sealed class ReciprocalOp : ScalarFunctionOp<ReciprocalFn>
{
    /// <inheritdoc/>
    public override string Type => "Reciprocal";

    // TF's _ReciprocalGrad: under control_dependencies([grad]), reciprocal_grad(y, grad) (grad is an input: no
    // control input).
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) => [ReciprocalGradOp.Create(op.Outputs[0], grads[0]!)];

    /// <summary>tf.reciprocal(x).</summary>
    public static Tensor Create(Tensor x, string name = "Reciprocal") => Build("Reciprocal", x, name);
}

/// <summary>1 / x.</summary>
public readonly struct ReciprocalFn : IScalarFunction
{
    /// <inheritdoc/>
    public static float Apply(float x) => 1f / x;
}

/// <summary>ReciprocalGrad(y, dy): -dy · y · y, the gradient of Reciprocal from its output.</summary>
public sealed class ReciprocalGradOp : GradFunctionOp<ReciprocalGradFn>
{
    /// <inheritdoc/>
    public override string Type => "ReciprocalGrad";

    // TF's _ReciprocalGradGrad: under control_dependencies([grad]), (grad * -2.0 * b * a, reciprocal_grad(a, grad))
    // with a = y, b = dy: "mul" (its constant "mul/y" alone gets ^grad), "mul_1", "mul_2", "ReciprocalGrad".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (a, b, grad) = (op.Inputs[0], op.Inputs[1], grads[0]!);
        var scaled = SecondOrder.TimesConstant(grad, -2f);
        return [scaled * b * a, Create(a, grad)];
    };

    /// <summary>gen_math_ops.reciprocal_grad(y, dy).</summary>
    public static Tensor Create(Tensor y, Tensor dy, string name = "ReciprocalGrad") => Build("ReciprocalGrad", y, dy, name);
}

/// <summary>-dy · y · y.</summary>
public readonly struct ReciprocalGradFn : IGradFunction
{
    /// <inheritdoc/>
    public static float Apply(float y, float dy) => -dy * y * y;
}

/// <summary>Pieces of TF's second-order gradients (…GradGrad), built under control_dependencies([grad]).</summary>
internal static class SecondOrder
{
    /// <summary>`grad * c` inside control_dependencies([grad]): "mul" with "mul/y"; only the constant gets ^grad.</summary>
    public static Tensor TimesConstant(Tensor grad, float c)
    {
        var graph = grad.Graph;
        using var scope = graph.NameScope("mul");
        Tensor constant;
        using (graph.ControlDependencies([grad.Op]))
            constant = ConstOp.Scalar(graph, c, grad.DType, "y");
        return OpBuilder.Create(graph, "Mul", scope.ScopeName, [grad, constant], OpBuilder.T(grad.DType)).Output;
    }

    /// <summary>`c * x` inside control_dependencies([grad]): "mul" with "mul/x"; only the constant gets ^grad.</summary>
    public static Tensor ConstantTimes(float c, Tensor x, Tensor grad)
    {
        var graph = x.Graph;
        using var scope = graph.NameScope("mul");
        Tensor constant;
        using (graph.ControlDependencies([grad.Op]))
            constant = ConstOp.Scalar(graph, c, x.DType, "x");
        return OpBuilder.Create(graph, "Mul", scope.ScopeName, [constant, x], OpBuilder.T(x.DType)).Output;
    }
}
