using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Tanh: the hyperbolic tangent elementwise (float).</summary>
public sealed class TanhOp : ScalarFunctionOp<TanhFn>
{
    /// <inheritdoc/>
    public override string Type => "Tanh";

    // TF's _TanhGrad: under control_dependencies([grad]), tanh_grad(y, grad) from the output y (grad is an input:
    // no control input).
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) => [TanhGradOp.Create(op.Outputs[0], grads[0]!)];

    /// <summary>tf.tanh(x).</summary>
    public static Tensor Create(Tensor x, string name = "Tanh") => Build("Tanh", x, name);
}

/// <summary>tanh(x).</summary>
public readonly struct TanhFn : IScalarFunction
{
    /// <inheritdoc/>
    public static float Apply(float x) => MathF.Tanh(x);
}

/// <summary>TanhGrad(y, dy): dy · (1 − y²), the gradient of Tanh from its output.</summary>
public sealed class TanhGradOp : GradFunctionOp<TanhGradFn>
{
    /// <inheritdoc/>
    public override string Type => "TanhGrad";

    // TF's _TanhGradGrad: under control_dependencies([grad]), (grad * -2.0 * b * a, tanh_grad(a, grad)) with
    // a = y, b = dy: "mul" (its constant "mul/y" alone gets ^grad), "mul_1", "mul_2", "TanhGrad".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (a, b, grad) = (op.Inputs[0], op.Inputs[1], grads[0]!);
        return [SecondOrder.TimesConstant(grad, -2f) * b * a, Create(a, grad)];
    };

    /// <summary>gen_math_ops.tanh_grad(y, dy).</summary>
    public static Tensor Create(Tensor y, Tensor dy, string name = "TanhGrad") => Build("TanhGrad", y, dy, name);
}

/// <summary>dy · (1 − y²).</summary>
public readonly struct TanhGradFn : IGradFunction
{
    /// <inheritdoc/>
    public static float Apply(float y, float dy) => dy * (1f - y * y);
}
