using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>ExpandDims: inserts a dimension of size 1 at <c>dim</c> (-rank-1 ≤ dim ≤ rank); a zero-copy view.</summary>
public sealed class ExpandDimsOp : OpDefinition
{
    public override string Type => "ExpandDims";
    public override int? ForwardedInput => 0;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var dim = ConstantValue.Ints(op.Inputs[1]);
        if (!input.Shape.IsKnownRank) return [new(input.DType, Shape.Unknown)];
        int rank = input.Shape.Rank;
        if (dim is null) return [new(input.DType, Shape.UnknownOfRank(rank + 1))];
        int d = dim[0] < 0 ? dim[0] + rank + 1 : dim[0];
        if (d < 0 || d > rank) throw ShapeError(op, $"dim {dim[0]} is out of range [{-rank - 1}, {rank}] for '{input.Name}' of shape {input.Shape}");
        var dims = input.Shape.ToArray().ToList();
        dims.Insert(d, 1);
        return [new(input.DType, new Shape(dims.ToArray()))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var dimInput = ctx.Input(1);
        int rank = input.Rank;
        int d = (int)dimInput.ScalarLong();
        if (d < 0) d += rank + 1;
        if (d < 0 || d > rank)
            throw new InvalidArgumentException($"Tried to expand dim index {dimInput.ScalarLong()} for tensor with {rank} dimensions in '{ctx.Op.Name}'.");
        Span<int> shape = stackalloc int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) shape[i] = i == d ? 1 : input.Shape[j++];
        ctx.SetOutputView(0, input, shape);
    }

    // TF's _ExpandDimsGrad: reshape(grad, shape(x)) — "Shape" (a Const when known), "Reshape".
    public override GradientFunction Gradient => (op, grads) =>
        [ReshapeOp.Create(grads[0]!, PyArrayOps.Shape(op.Inputs[0])), null];

    public static Tensor Create(Tensor input, Tensor dim, string name = "ExpandDims") =>
        OpBuilder.Create(input.Graph, "ExpandDims", name, [input, dim], OpBuilder.T(input.DType), ("Tdim", Attr.Type(dim.DType))).Output;

    /// <summary>tf.expand_dims(input, axis): the axis becomes the constant "ExpandDims/dim".</summary>
    public static Tensor Create(Tensor input, int axis, string name = "ExpandDims")
    {
        using var scope = input.Graph.NameScope(name);
        var dim = ConstOp.Create(axis, "dim", input.Graph);
        return Create(input, dim, scope.ScopeName);
    }
}
