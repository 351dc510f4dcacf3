using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// Assign: stores a copy of <c>value</c> in the variable behind the <c>ref</c> input and outputs
/// the variable. When the shape is unchanged it copies into the existing buffer, so views of the
/// variable handed out earlier stay valid.
/// </summary>
public sealed class AssignOp : OpDefinition
{
    public override string Type => "Assign";
    public override bool IsStateful => true;
    public override int? MutatedRefInput => 0;
    public override int? ForwardedInput => 0;

    // TF: ops.NotDifferentiable("Assign").
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => RefUpdateOutputs(op, op.Attrs.GetBool("validate_shape", true));

    /// <summary>
    /// The shape rule of an op writing `value` into the variable behind `ref` (Assign, AssignAdd): a variable
    /// reference of the value's dtype, and with <paramref name="validateShape"/> a compatible shape; the output is
    /// the variable, by reference.
    /// </summary>
    internal static OutputSpec[] RefUpdateOutputs(Operation op, bool validateShape)
    {
        var (target, value) = (op.Inputs[0], op.Inputs[1]);
        if (!target.IsRef)
            throw ShapeError(op, $"input 'ref' ('{target.Name}') must be a variable reference");
        if (target.DType != value.DType)
            throw ShapeError(op, $"variable '{target.Op.Name}' is {target.DType.TfName()} but value '{value.Name}' is {value.DType.TfName()}");
        if (!validateShape) return [new(target.DType, value.Shape, IsRef: true)];
        if (!target.Shape.IsCompatibleWith(value.Shape))
            throw ShapeError(op, $"variable '{target.Op.Name}' has shape {target.Shape} but value '{value.Op.Name}' has shape {value.Shape}");
        return [new(target.DType, target.Shape.MergeWith(value.Shape), IsRef: true)];
    }

    public override void Compute(KernelContext ctx)
    {
        var variable = ctx.RefInputVariable(0);
        var value = ctx.Input(1);
        var current = ctx.Session.GetVariable(variable);
        if (ctx.Op.Attrs.GetBool("validate_shape", true))
        {
            bool fits = current is not null
                ? current.ShapeEquals(value.Shape)
                : variable.Outputs[0].Shape.IsCompatibleWith(new Shape(value.Shape));
            if (!fits)
                throw new InvalidArgumentException(
                    $"Assign requires shapes of both tensors to match. lhs ('{variable.Name}') shape= " +
                    $"[{string.Join(",", current?.Shape ?? variable.Outputs[0].Shape.ToArray())}] rhs shape= [{string.Join(",", value.Shape)}] (in '{ctx.Op.Name}')");
        }
        if (current is not null && current.DType == value.DType && current.ShapeEquals(value.Shape))
        {
            if (!ReferenceEquals(current.Data, value.Data))
                Array.Copy(value.Data, current.Data, value.Size);
        }
        else
        {
            current = value.Clone();
            ctx.Session.SetVariable(variable, current);
        }
        ctx.SetOutput(0, current);
    }

    /// <summary>
    /// TF's state_ops.assign: attrs T, validate_shape, use_locking, and the colocation TF adds for a
    /// reference input (_class = loc:@variable).
    /// </summary>
    public static Tensor Create(Tensor @ref, Tensor value, bool validateShape = true, bool useLocking = true, string name = "Assign") =>
        OpBuilder.Create(@ref.Graph, "Assign", name, [@ref, value],
            OpBuilder.ColocateWith(@ref.Op), OpBuilder.T(@ref.DType),
            ("validate_shape", Attr.Bool(validateShape)), ("use_locking", Attr.Bool(useLocking))).Output;
}
