using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Slice: the box of <c>size</c> starting at <c>begin</c> (int32 vectors; size -1 takes the rest of the axis).</summary>
public sealed class SliceOp : OpDefinition
{
    public override string Type => "Slice";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var begin = ConstantValue.Ints(op.Inputs[1]);
        var size = ConstantValue.Ints(op.Inputs[2]);
        int rank = input.Shape.IsKnownRank ? input.Shape.Rank
            : op.Inputs[1].Shape.IsFullyDefined ? op.Inputs[1].Shape[0]
            : op.Inputs[2].Shape.IsFullyDefined ? op.Inputs[2].Shape[0] : -1;
        if (rank < 0) return [new(input.DType, Shape.Unknown)];
        if ((begin is not null && begin.Length != rank) || (size is not null && size.Length != rank))
            throw ShapeError(op, $"begin and size must have {rank} entries for '{input.Name}' of shape {input.Shape}");
        if (size is null) return [new(input.DType, Shape.UnknownOfRank(rank))];
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int dim = input.Shape.IsKnownRank ? input.Shape[i] : -1;
            if (size[i] >= 0)
            {
                if (begin is not null && dim >= 0 && (begin[i] < 0 || begin[i] + size[i] > dim))
                    throw ShapeError(op, $"slice [{begin[i]}, {begin[i] + size[i]}) is out of bounds for dimension {i} of '{input.Name}' {input.Shape}");
                dims[i] = size[i];
            }
            else if (size[i] == -1) dims[i] = begin is not null && dim >= 0 ? dim - begin[i] : -1;
            else throw ShapeError(op, $"size[{i}] = {size[i]} must be -1 or non-negative");
        }
        return [new(input.DType, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var begin = ctx.Input(1).Ints;
        var size = ctx.Input(2).Ints;
        int rank = input.Rank;
        if (begin.Length != rank || size.Length != rank)
            throw new InvalidArgumentException($"Expected begin and size of length {rank} in '{ctx.Op.Name}', got {begin.Length} and {size.Length}.");
        Span<int> outShape = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            int s = size[i] == -1 ? input.Shape[i] - begin[i] : size[i];
            if (begin[i] < 0 || s < 0 || begin[i] + s > input.Shape[i])
                throw new InvalidArgumentException(
                    $"Expected begin[{i}] in [0, {input.Shape[i]}] and size[{i}] in [0, {input.Shape[i] - begin[i]}], but got {begin[i]} and {size[i]} in '{ctx.Op.Name}'.");
            outShape[i] = s;
        }
        var output = ctx.Output(0, input.DType, outShape);
        Span<int> zero = stackalloc int[rank];
        zero.Clear();
        BoxCopy.Copy(input.Data, input.Shape, begin, output.Data, outShape, zero, outShape);
    }

    // TF's _SliceGrad: pad the gradient back to the input's shape —
    //   shape = stack([rank(x), 1]); before = reshape(begin, shape);
    //   after = reshape(shape(x) - shape(y) - begin, shape); pad(grad, concat([before, after], 1)).
    public override GradientFunction Gradient => (op, grads) =>
    {
        var input = op.Inputs[0];
        var begin = op.Inputs[1];
        var inputRank = PyArrayOps.Rank(input);
        var sliceSize = PyArrayOps.Shape(op.Outputs[0]);
        var shape = PackOp.Stack([inputRank, 1]);
        var beforePad = ReshapeOp.Create(begin, shape);
        var afterPad = ReshapeOp.Create(SubOp.Create(SubOp.Create(PyArrayOps.Shape(input), sliceSize, "sub"), begin, "sub"), shape);
        var paddings = ConcatV2Op.Concat([beforePad, afterPad], 1);
        return [PadOp.Create(grads[0]!, paddings), null, null];
    };

    public static Tensor Create(Tensor input, Tensor begin, Tensor size, string name = "Slice") =>
        OpBuilder.Create(input.Graph, "Slice", name, [input, begin, size], OpBuilder.T(input.DType), ("Index", Attr.Type(begin.DType))).Output;

    /// <summary>tf.slice with literal begin and size, stored as "Slice/begin" and "Slice/size" as TF does.</summary>
    public static Tensor Create(Tensor input, int[] begin, int[] size, string name = "Slice")
    {
        using var scope = input.Graph.NameScope(name);
        var b = ConstOp.Vector(input.Graph, begin, "begin");
        var s = ConstOp.Vector(input.Graph, size, "size");
        return Create(input, b, s, scope.ScopeName);
    }
}
