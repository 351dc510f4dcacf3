using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>A float function of one value (tanh, sigmoid, log, ...), applied element by element.</summary>
public interface IScalarFunction
{
    /// <summary>The function at <paramref name="x"/>.</summary>
    static abstract float Apply(float x);
}

/// <summary>A float function of an op's output y and the incoming gradient dy (TanhGrad, SigmoidGrad, ...).</summary>
public interface IGradFunction
{
    /// <summary>The gradient with respect to the op's input, from its output <paramref name="y"/> and <paramref name="dy"/>.</summary>
    static abstract float Apply(float y, float dy);
}

/// <summary>
/// A float unary op computed by one scalar function in index order: the reference executor and the
/// fast one run the same loop, so they give the same bits.
/// </summary>
public abstract class ScalarFunctionOp<TFn> : UnaryOp where TFn : IScalarFunction
{
    /// <inheritdoc/>
    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DType != DType.Float) throw Unsupported(ctx, x);
        ReadOnlySpan<float> input = x.Floats;
        var output = ctx.Output(0, x.DType, x.Shape).Floats;
        for (int i = 0; i < output.Length; i++) output[i] = TFn.Apply(input[i]);
    }
}

/// <summary>
/// Shared shape rule and kernel of the "XGrad(y, dy)" ops TF uses for the gradients of unary ops
/// (TanhGrad, SigmoidGrad, ReciprocalGrad): inputs of one shape and dtype, float kernel in index order.
/// </summary>
public abstract class GradFunctionOp<TFn> : OpDefinition where TFn : IGradFunction
{
    /// <inheritdoc/>
    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (y, dy) = (op.Inputs[0], op.Inputs[1]);
        if (y.DType != dy.DType)
            throw ShapeError(op, $"'{y.Name}' ({y.DType.TfName()}) and '{dy.Name}' ({dy.DType.TfName()}) must have the same dtype");
        if (!y.Shape.IsCompatibleWith(dy.Shape))
            throw ShapeError(op, $"'{y.Op.Name}' has shape {y.Shape} and '{dy.Op.Name}' has shape {dy.Shape}");
        return [new(y.DType, y.Shape.MergeWith(dy.Shape))];
    }

    /// <inheritdoc/>
    public override void Compute(KernelContext ctx)
    {
        var (y, dy) = (ctx.Input(0), ctx.Input(1));
        if (y.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {y.DType.TfName()}.");
        if (!y.ShapeEquals(dy.Shape))
            throw new InvalidArgumentException($"Inputs to '{ctx.Op.Name}' ({ctx.Op.Type}) must have the same shape: " +
                $"[{string.Join(",", y.Shape)}] vs. [{string.Join(",", dy.Shape)}]");
        ReadOnlySpan<float> ys = y.Floats, dys = dy.Floats;
        var output = ctx.Output(0, y.DType, y.Shape).Floats;
        for (int i = 0; i < output.Length; i++) output[i] = TFn.Apply(ys[i], dys[i]);
    }

    /// <summary>The node as TF's generated wrapper makes it: inputs (y, dy), attr T.</summary>
    protected static Tensor Build(string type, Tensor y, Tensor dy, string name) =>
        OpBuilder.Create(y.Graph, type, name, [y, dy], OpBuilder.T(y.DType)).Output;
}
