using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// The checks TF's training ops (ApplyAdam, ApplyMomentum) share: which inputs are variable references of
/// the variable's shape, which are scalars, and, at run time, the initialized float values behind them.
/// </summary>
internal static class ApplyOpInputs
{
    /// <summary>
    /// The shape rule: inputs <paramref name="refs"/> are references, those and <paramref name="sameShape"/>
    /// take the variable's shape, <paramref name="scalars"/> are scalars, and all have the variable's dtype.
    /// </summary>
    public static OutputSpec[] InferOutputs(Operation op, Func<Operation, string, Exception> error,
        int[] refs, int[] scalars, int[] sameShape, string[] inputNames)
    {
        var target = op.Inputs[0];
        if (op.Inputs.Count != inputNames.Length)
            throw error(op, $"expected {inputNames.Length} inputs ({string.Join(", ", inputNames)}), got {op.Inputs.Count}");
        var shape = target.Shape;
        for (int i = 0; i < inputNames.Length; i++)
        {
            var input = op.Inputs[i];
            if (input.DType != target.DType)
                throw error(op, $"input '{inputNames[i]}' ('{input.Name}') is {input.DType.TfName()} but 'var' ('{target.Name}') is {target.DType.TfName()}");
            if (refs.Contains(i) && !input.IsRef)
                throw error(op, $"input '{inputNames[i]}' ('{input.Name}') must be a variable reference");
            if (scalars.Contains(i) && input.Shape.IsKnownRank && input.Shape.Rank != 0)
                throw error(op, $"input '{inputNames[i]}' ('{input.Op.Name}') must be a scalar, got shape {input.Shape}");
            if (refs.Contains(i) || sameShape.Contains(i))
            {
                if (!shape.IsCompatibleWith(input.Shape))
                    throw error(op, $"'var' ('{target.Op.Name}') has shape {shape} but '{inputNames[i]}' ('{input.Op.Name}') has shape {input.Shape}");
                shape = shape.MergeWith(input.Shape);
            }
        }
        return [new(target.DType, shape, IsRef: true)];
    }

    /// <summary>The current value of the variable behind reference input <paramref name="i"/>; float, initialized.</summary>
    public static NDArray Variable(KernelContext ctx, int i, string inputName)
    {
        var variable = ctx.RefInputVariable(i);
        var value = ctx.Session.GetVariable(variable)
            ?? throw new FailedPreconditionException($"Attempting to use uninitialized value {variable.Name} (needed by '{ctx.Op.Name}')");
        if (value.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {value.DType.TfName()} ('{inputName}').");
        return value;
    }

    /// <summary>Input <paramref name="i"/> as a float scalar.</summary>
    public static float Scalar(KernelContext ctx, int i, string inputName)
    {
        var value = ctx.Input(i);
        if (value.Size != 1 || value.Rank != 0)
            throw new InvalidArgumentException($"{inputName} is not a scalar in '{ctx.Op.Name}' ({ctx.Op.Type}): [{string.Join(",", value.Shape)}]");
        return value.Floats[0];
    }

    /// <summary>Throws unless <paramref name="value"/> has the variable's shape (TF's "var and X do not have the same shape").</summary>
    public static void SameShape(KernelContext ctx, NDArray var, NDArray value, string inputName)
    {
        if (!var.ShapeEquals(value.Shape))
            throw new InvalidArgumentException(
                $"var and {inputName} do not have the same shape in '{ctx.Op.Name}' ({ctx.Op.Type}): [{string.Join(",", var.Shape)}] [{string.Join(",", value.Shape)}]");
    }
}
