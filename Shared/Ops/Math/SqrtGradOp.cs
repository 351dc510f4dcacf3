using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>SqrtGrad(y, dy): dy * 0.5 / y, the gradient of Sqrt from its output.</summary>
public sealed class SqrtGradOp : OpDefinition
{
    public override string Type => "SqrtGrad";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (y, dy) = (op.Inputs[0], op.Inputs[1]);
        if (!y.Shape.IsCompatibleWith(dy.Shape))
            throw ShapeError(op, $"'{y.Op.Name}' has shape {y.Shape} and '{dy.Op.Name}' has shape {dy.Shape}");
        return [new(y.DType, y.Shape.MergeWith(dy.Shape))];
    }

    public override void Compute(KernelContext ctx)
    {
        var (y, dy) = (ctx.Input(0), ctx.Input(1));
        if (y.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' (SqrtGrad) does not support {y.DType.TfName()}.");
        if (y.Size != dy.Size)
            throw new InvalidArgumentException($"Inputs to '{ctx.Op.Name}' (SqrtGrad) must have the same shape.");
        var output = ctx.Output(0, y.DType, y.Shape).Floats;
        TensorPrimitives.Multiply(dy.Floats, 0.5f, output);
        TensorPrimitives.Divide(output, y.Floats, output);
    }

    // TF's _SqrtGradGrad: under control_dependencies([grad]): ga = grad / a ("truediv"); returns
    // (-ga * y, 0.5 * ga) as "Neg", "mul" and "mul_1" (with the constant "mul_1/x", which alone
    // gets the ^grad control input: TF prunes it from ops fed by ops made in the block).
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (a, y, grad) = (op.Inputs[0], op.Outputs[0], grads[0]!);
        var graph = a.Graph;
        Tensor ga;
        using (graph.ControlDependencies([grad.Op]))
            ga = RealDivOp.Create(grad, a, "truediv");
        var gy = MulOp.Create(NegOp.Create(ga), y, "mul");
        Tensor half;
        using var scope = graph.NameScope("mul");
        using (graph.ControlDependencies([grad.Op]))
            half = ConstOp.Scalar(graph, 0.5f, ga.DType, "x");
        var gb = OpBuilder.Create(graph, "Mul", scope.ScopeName, [half, ga], OpBuilder.T(ga.DType)).Output;
        return [gy, gb];
    };

    public static Tensor Create(Tensor y, Tensor dy, string name = "SqrtGrad") =>
        OpBuilder.Create(y.Graph, "SqrtGrad", name, [y, dy], OpBuilder.T(y.DType)).Output;
}
