using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// AssignAdd: adds <c>value</c> to the variable behind the <c>ref</c> input in place (float, int32, int64; the
/// same shape, as TF's kernel requires) and outputs the variable. apply_gradients(global_step=...) ends with one.
/// </summary>
public sealed class AssignAddOp : OpDefinition
{
    /// <inheritdoc/>
    public override string Type => "AssignAdd";
    /// <inheritdoc/>
    public override bool IsStateful => true;
    /// <inheritdoc/>
    public override int? MutatedRefInput => 0;
    /// <inheritdoc/>
    public override int? ForwardedInput => 0;

    // TF: ops.NotDifferentiable("AssignAdd").
    /// <inheritdoc/>
    public override bool IsNotDifferentiable => true;

    /// <inheritdoc/>
    public override OutputSpec[] InferOutputs(Operation op) => AssignOp.RefUpdateOutputs(op, validateShape: true);

    /// <inheritdoc/>
    public override void Compute(KernelContext ctx)
    {
        var variable = ctx.RefInputVariable(0);
        var current = ctx.Session.GetVariable(variable)
            ?? throw new FailedPreconditionException($"Attempting to use uninitialized value {variable.Name} (needed by '{ctx.Op.Name}')");
        var value = ctx.Input(1);
        if (!current.ShapeEquals(value.Shape))
            throw new InvalidArgumentException($"Must have the same shape in '{ctx.Op.Name}' (AssignAdd): " +
                $"[{string.Join(",", current.Shape)}] vs. [{string.Join(",", value.Shape)}]");
        switch (current.DType)
        {
            case DType.Float: Add(current.Floats, value.Floats); break;
            case DType.Int32: Add(current.Ints, value.Ints); break;
            case DType.Int64: Add(current.Longs, value.Longs); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' (AssignAdd) does not support {current.DType.TfName()}.");
        }
        ctx.SetOutput(0, current);
    }

    private static void Add<T>(Span<T> target, ReadOnlySpan<T> value) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < target.Length; i++) target[i] += value[i];
    }

    /// <summary>TF's state_ops.assign_add: attrs T and use_locking, colocated with the variable (a ref input).</summary>
    public static Tensor Create(Tensor @ref, Tensor value, bool useLocking = false, string name = "AssignAdd") =>
        OpBuilder.Create(@ref.Graph, "AssignAdd", name, [@ref, value],
            OpBuilder.ColocateWith(@ref.Op), OpBuilder.T(@ref.DType), ("use_locking", Attr.Bool(useLocking))).Output;
}
