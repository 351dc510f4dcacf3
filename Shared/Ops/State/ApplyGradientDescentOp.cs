using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>ApplyGradientDescent: var -= alpha * delta in place; outputs the variable.</summary>
public sealed class ApplyGradientDescentOp : OpDefinition
{
    public override string Type => "ApplyGradientDescent";
    public override bool IsStateful => true;
    public override int? MutatedRefInput => 0;
    public override int? ForwardedInput => 0;

    // TF registers no gradient for training ops; they are update steps, never differentiated.
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (target, alpha, delta) = (op.Inputs[0], op.Inputs[1], op.Inputs[2]);
        if (!target.IsRef)
            throw ShapeError(op, $"input 'var' ('{target.Name}') must be a variable reference");
        if (alpha.DType != target.DType || delta.DType != target.DType)
            throw ShapeError(op, $"variable '{target.Op.Name}' ({target.DType.TfName()}), alpha '{alpha.Name}' ({alpha.DType.TfName()}) and delta '{delta.Name}' ({delta.DType.TfName()}) must have the same dtype");
        if (alpha.Shape.IsKnownRank && alpha.Shape.Rank != 0)
            throw ShapeError(op, $"alpha '{alpha.Op.Name}' must be a scalar, got shape {alpha.Shape}");
        if (!target.Shape.IsCompatibleWith(delta.Shape))
            throw ShapeError(op, $"variable '{target.Op.Name}' has shape {target.Shape} but delta '{delta.Op.Name}' has shape {delta.Shape}");
        return [new(target.DType, target.Shape.MergeWith(delta.Shape), IsRef: true)];
    }

    public override void Compute(KernelContext ctx)
    {
        var variable = ctx.RefInputVariable(0);
        var value = ctx.Session.GetVariable(variable)
            ?? throw new FailedPreconditionException($"Attempting to use uninitialized value {variable.Name} (needed by '{ctx.Op.Name}')");
        var alpha = ctx.Input(1);
        var delta = ctx.Input(2);
        if (value.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' (ApplyGradientDescent) does not support {value.DType.TfName()}.");
        if (alpha.Size != 1)
            throw new InvalidArgumentException($"alpha is not a scalar in '{ctx.Op.Name}': [{string.Join(",", alpha.Shape)}]");
        if (!value.ShapeEquals(delta.Shape))
            throw new InvalidArgumentException(
                $"var and delta do not have the same shape in '{ctx.Op.Name}': [{string.Join(",", value.Shape)}] [{string.Join(",", delta.Shape)}]");
        var v = value.Floats;
        TensorPrimitives.MultiplyAdd(delta.Floats, -alpha.Floats[0], v, v);
        ctx.SetOutput(0, value);
    }

    /// <summary>TF's training_ops.apply_gradient_descent: attrs T, use_locking, colocated with the variable.</summary>
    public static Tensor Create(Tensor var, Tensor alpha, Tensor delta, bool useLocking = false, string name = "ApplyGradientDescent") =>
        OpBuilder.Create(var.Graph, "ApplyGradientDescent", name, [var, alpha, delta],
            OpBuilder.ColocateWith(var.Op), OpBuilder.T(var.DType), ("use_locking", Attr.Bool(useLocking))).Output;
}
