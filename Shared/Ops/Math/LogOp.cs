using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Log: the natural logarithm elementwise (float); log(0) is -Inf, log of a negative number NaN.</summary>
public sealed class LogOp : ScalarFunctionOp<LogFn>
{
    /// <inheritdoc/>
    public override string Type => "Log";

    // TF's _LogGrad: under control_dependencies([grad]), grad * reciprocal(x) as "Reciprocal" (which gets the
    // ^grad control input) and "mul" (which has grad as an input, so no control input).
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var grad = grads[0]!;
        using (op.Graph.ControlDependencies([grad.Op]))
            return [grad * ReciprocalOp.Create(op.Inputs[0])];
    };

    /// <summary>tf.log(x).</summary>
    public static Tensor Create(Tensor x, string name = "Log") => Build("Log", x, name);
}

/// <summary>The natural logarithm.</summary>
public readonly struct LogFn : IScalarFunction
{
    /// <inheritdoc/>
    public static float Apply(float x) => MathF.Log(x);
}
