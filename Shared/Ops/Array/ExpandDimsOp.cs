using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>
/// ExpandDims: inserts a dimension of size 1 at axis <c>dim</c> (negative counts from the end,
/// -1 appends); a zero-copy view. Minimal version written alongside the Nn ops (whose
/// _BroadcastMul needs it), to be reconciled with the Array-ops branch at merge.
/// </summary>
public sealed class ExpandDimsOp : OpDefinition
{
    public override string Type => "ExpandDims";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var dim = op.Inputs[1];
        if (dim.Shape.IsKnownRank && dim.Shape.NumElements > 1)
            throw ShapeError(op, $"dim '{dim.Name}' must be a scalar or a single-element vector, got shape {dim.Shape}");
        var axis = ConstantValue.Ints(dim);
        if (!input.Shape.IsKnownRank) return [new(input.DType, Shape.Unknown)];
        int rank = input.Shape.Rank;
        if (axis is null || axis.Length != 1) return [new(input.DType, Shape.UnknownOfRank(rank + 1))];
        int at = Normalize(axis[0], rank)
            ?? throw ShapeError(op, $"dim {axis[0]} is out of range for '{input.Op.Name}' of shape {input.Shape} (must be in [{-rank - 1}, {rank}])");
        var dims = new List<int>(input.Shape.Dims);
        dims.Insert(at, 1);
        return [new(input.DType, new Shape(dims.ToArray()))];
    }

    private static int? Normalize(int axis, int rank)
    {
        if (axis < -rank - 1 || axis > rank) return null;
        return axis < 0 ? axis + rank + 1 : axis;
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var dim = ctx.Input(1);
        if (dim.Size != 1) throw new InvalidArgumentException($"'dim' of '{ctx.Op.Name}' (ExpandDims) must be a single value, got {dim.Size} values.");
        int rank = input.Rank;
        int at = Normalize((int)dim.ScalarLong(), rank)
            ?? throw new InvalidArgumentException(
                $"Tried to expand dim index {dim.ScalarLong()} for tensor with {rank} dimensions in '{ctx.Op.Name}' (ExpandDims).");
        var shape = new int[rank + 1];
        for (int i = 0, j = 0; i < shape.Length; i++) shape[i] = i == at ? 1 : input.Shape[j++];
        ctx.SetOutput(0, input.Reshaped(shape));
    }

    // TF's _ExpandDimsGrad: reshape(grad, shape(input)); dim gets none.
    public override GradientFunction Gradient => (op, grads) =>
        [ReshapeOp.Create(grads[0]!, ShapeOp.Create(op.Inputs[0])), null];

    public static Tensor Create(Tensor input, int axis, string name = "ExpandDims")
    {
        using var scope = input.Graph.NameScope(name);
        var dim = ConstOp.Create(axis, "dim", input.Graph);
        return OpBuilder.Create(input.Graph, "ExpandDims", scope.ScopeName, [input, dim],
            OpBuilder.T(input.DType), ("Tdim", Attr.Type(DType.Int32))).Output;
    }
}
