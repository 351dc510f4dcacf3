using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>ReluGrad: gradients where features &gt; 0, else 0 (the backprop of Relu).</summary>
public sealed class ReluGradOp : OpDefinition
{
    public override string Type => "ReluGrad";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (gradients, features) = (op.Inputs[0], op.Inputs[1]);
        if (gradients.DType != features.DType)
            throw ShapeError(op, $"'{gradients.Name}' ({gradients.DType.TfName()}) and '{features.Name}' ({features.DType.TfName()}) must have the same dtype");
        if (!gradients.Shape.IsCompatibleWith(features.Shape))
            throw ShapeError(op, $"'{gradients.Op.Name}' has shape {gradients.Shape} but '{features.Op.Name}' has shape {features.Shape}");
        return [new(gradients.DType, gradients.Shape.MergeWith(features.Shape))];
    }

    public override void Compute(KernelContext ctx)
    {
        var (g, f) = (ctx.Input(0), ctx.Input(1));
        if (!g.ShapeEquals(f.Shape))
            throw new InvalidArgumentException(
                $"gradients and features must have the same shape in '{ctx.Op.Name}' (ReluGrad): [{string.Join(",", g.Shape)}] vs. [{string.Join(",", f.Shape)}]");
        if (g.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' (ReluGrad) does not support {g.DType.TfName()}.");
        var output = ctx.Output(0, g.DType, g.Shape);
        Backprop(g.Floats, f.Floats, output.Floats);
    }

    private static void Backprop(ReadOnlySpan<float> gradients, ReadOnlySpan<float> features, Span<float> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= output.Length - width; i += width)
            {
                var positive = Vector.GreaterThan(new Vector<float>(features[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(gradients[i..]), Vector<float>.Zero).CopyTo(output[i..]);
            }
        }
        for (; i < output.Length; i++) output[i] = features[i] > 0f ? gradients[i] : 0f;
    }

    // TF 1.9's _ReluGradGrad: (relu_grad(grad, x), zeros(shape(x))) with x = op.inputs[1].
    public override GradientFunction Gradient => (op, grads) =>
    {
        var x = op.Inputs[1];
        var ddy = Create(grads[0]!, x);
        var shape = ShapeOp.Create(x);
        using var scope = x.Graph.NameScope("zeros");
        var zero = ConstOp.Scalar(x.Graph, 0f, x.DType);
        return [ddy, FillOp.Create(shape, zero, scope.ScopeName)];
    };

    public static Tensor Create(Tensor gradients, Tensor features, string name = "ReluGrad") =>
        OpBuilder.Create(gradients.Graph, "ReluGrad", name, [gradients, features], OpBuilder.T(gradients.DType)).Output;
}
