using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// Select (tf.where with x and y): picks t where condition holds, else e. The condition has the
/// shape of t and e, or is a vector choosing whole rows (TF 1.9's Select does not broadcast).
/// </summary>
public sealed class SelectOp : OpDefinition
{
    public override string Type => "Select";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (c, t, e) = (op.Inputs[0], op.Inputs[1], op.Inputs[2]);
        if (c.DType != DType.Bool) throw ShapeError(op, $"condition '{c.Name}' must be bool, not {c.DType.TfName()}");
        if (t.DType != e.DType)
            throw ShapeError(op, $"'{t.Name}' ({t.DType.TfName()}) and '{e.Name}' ({e.DType.TfName()}) must have the same dtype");
        if (!t.Shape.IsCompatibleWith(e.Shape))
            throw ShapeError(op, $"'{t.Op.Name}' has shape {t.Shape} and '{e.Op.Name}' has shape {e.Shape}");
        var shape = t.Shape.MergeWith(e.Shape);
        bool rowwise = c.Shape.IsKnownRank && c.Shape.Rank == 1 && shape.IsKnownRank && shape.Rank > 1;
        if (!rowwise && !c.Shape.IsCompatibleWith(shape))
            throw ShapeError(op, $"condition '{c.Op.Name}' has shape {c.Shape} but '{t.Op.Name}' has shape {shape}");
        return [new(t.DType, rowwise ? shape : shape.MergeWith(c.Shape))];
    }

    public override void Compute(KernelContext ctx)
    {
        var (c, t, e) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (!t.ShapeEquals(e.Shape))
            throw new InvalidArgumentException($"'then' and 'else' must have the same size in '{ctx.Op.Name}'.");
        int inner;
        if (c.ShapeEquals(t.Shape)) inner = 1;
        else if (c.Rank == 1 && t.Rank > 1 && c.Shape[0] == t.Shape[0]) inner = t.Size / Math.Max(c.Size, 1);
        else
            throw new InvalidArgumentException(
                $"condition [{string.Join(",", c.Shape)}] must be a vector or match [{string.Join(",", t.Shape)}] in '{ctx.Op.Name}'.");
        var output = ctx.Output(0, t.DType, t.Shape);
        var cond = c.Bools;
        if (inner == 1)
        {
            switch (t.DType)
            {
                case DType.Float: Pick(cond, t.Floats, e.Floats, output.Floats); break;
                case DType.Int32: Pick(cond, t.Ints, e.Ints, output.Ints); break;
                case DType.Int64: Pick(cond, t.Longs, e.Longs, output.Longs); break;
                default: PickRows(cond, t.Data, e.Data, output.Data, 1); break;
            }
        }
        else PickRows(cond, t.Data, e.Data, output.Data, inner);
    }

    private static void Pick<T>(ReadOnlySpan<bool> c, ReadOnlySpan<T> t, ReadOnlySpan<T> e, Span<T> output)
    {
        for (int i = 0; i < output.Length; i++) output[i] = c[i] ? t[i] : e[i];
    }

    private static void PickRows(ReadOnlySpan<bool> c, Array t, Array e, Array output, int inner)
    {
        for (int r = 0; r < c.Length; r++) Array.Copy(c[r] ? t : e, r * inner, output, r * inner, inner);
    }

    // TF's _SelectGrad: zeros = zeros_like(x); (None, where(c, grad, zeros), where(c, zeros, grad)).
    public override GradientFunction Gradient => (op, grads) =>
    {
        var c = op.Inputs[0];
        var grad = grads[0]!;
        var zeros = ZerosLikeOp.Create(op.Inputs[1]);
        return [null, Create(c, grad, zeros), Create(c, zeros, grad)];
    };

    public static Tensor Create(Tensor condition, Tensor t, Tensor e, string name = "Select") =>
        OpBuilder.Create(t.Graph, "Select", name, [condition, t, e], OpBuilder.T(t.DType)).Output;
}
