using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Log1p: log(1 + x) elementwise (float), accurate for small |x|.</summary>
public sealed class Log1pOp : ScalarFunctionOp<Log1pFn>
{
    /// <inheritdoc/>
    public override string Type => "Log1p";

    // TF's _Log1pGrad: under control_dependencies([grad]), grad * reciprocal(1 + x). `1 + x` is "add" with the
    // constant "add/x"; only that constant gets the ^grad control input (every later op has an input made in
    // the block, or grad itself, and TF leaves the control input off those).
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (x, grad) = (op.Inputs[0], grads[0]!);
        var graph = x.Graph;
        Tensor sum;
        using (var scope = graph.NameScope("add"))
        {
            Tensor one;
            using (graph.ControlDependencies([grad.Op]))
                one = ConstOp.Scalar(graph, 1f, x.DType, "x");
            sum = OpBuilder.Create(graph, "Add", scope.ScopeName, [one, x], OpBuilder.T(x.DType)).Output;
        }
        return [grad * ReciprocalOp.Create(sum)];
    };

    /// <summary>tf.log1p(x).</summary>
    public static Tensor Create(Tensor x, string name = "Log1p") => Build("Log1p", x, name);
}

/// <summary>log(1 + x) in double: u = 1 + x, then log(u)·x/(u − 1), exact where 1 + x rounds (Goldberg's trick).</summary>
public readonly struct Log1pFn : IScalarFunction
{
    /// <inheritdoc/>
    public static float Apply(float x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsInfinity(u) || u <= 0) return (float)Math.Log(u);
        return (float)(Math.Log(u) * x / (u - 1.0));
    }
}
