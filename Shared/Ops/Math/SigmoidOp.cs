using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Sigmoid: 1 / (1 + e^-x) elementwise (float).</summary>
public sealed class SigmoidOp : ScalarFunctionOp<SigmoidFn>
{
    /// <inheritdoc/>
    public override string Type => "Sigmoid";

    // TF's _SigmoidGrad: under control_dependencies([grad]), sigmoid_grad(y, grad) from the output y.
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) => [SigmoidGradOp.Create(op.Outputs[0], grads[0]!)];

    /// <summary>tf.sigmoid(x).</summary>
    public static Tensor Create(Tensor x, string name = "Sigmoid") => Build("Sigmoid", x, name);
}

/// <summary>1 / (1 + e^-x): 0 for large negative x, 1 for large positive x.</summary>
public readonly struct SigmoidFn : IScalarFunction
{
    /// <inheritdoc/>
    public static float Apply(float x) => 1f / (1f + MathF.Exp(-x));
}

/// <summary>SigmoidGrad(y, dy): dy · y · (1 − y), the gradient of Sigmoid from its output.</summary>
public sealed class SigmoidGradOp : GradFunctionOp<SigmoidGradFn>
{
    /// <inheritdoc/>
    public override string Type => "SigmoidGrad";

    // TF's _SigmoidGradGrad: under control_dependencies([grad]), gb = grad * b ("mul"), then
    // (gb - 2.0 * gb * a, sigmoid_grad(a, grad)) with a = y, b = dy: "mul_1" (its constant "mul_1/x" alone gets
    // ^grad), "mul_2", "sub", "SigmoidGrad".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (a, b, grad) = (op.Inputs[0], op.Inputs[1], grads[0]!);
        var gb = grad * b;
        return [gb - SecondOrder.ConstantTimes(2f, gb, grad) * a, Create(a, grad)];
    };

    /// <summary>gen_math_ops.sigmoid_grad(y, dy).</summary>
    public static Tensor Create(Tensor y, Tensor dy, string name = "SigmoidGrad") => Build("SigmoidGrad", y, dy, name);
}

/// <summary>dy · y · (1 − y).</summary>
public readonly struct SigmoidGradFn : IGradFunction
{
    /// <inheritdoc/>
    public static float Apply(float y, float dy) => dy * (y * (1f - y));
}
