using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF's _SumGrad: the gradient of a reduction is the incoming gradient reshaped to the kept-dims
/// shape and tiled back over the reduced axes. Mean's gradient builds on it.
/// </summary>
public static class SumGradient
{
    public static Tensor?[] Build(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var input = op.Inputs[0];
        var grad = grads[0]!;
        var axes = ConstantValue.Ints(op.Inputs[1]);
        if (input.Shape.IsKnownRank && axes is not null)
        {
            int rank = input.Shape.Rank;
            // TF's fast path tests np.array_equal(axes, np.arange(rank)): exactly 0..rank-1.
            if (axes.SequenceEqual(Enumerable.Range(0, rank)))
            {
                // Reduce-all: reshape to [1,...,1] and tile by the input's shape (static if known).
                grad = ReshapeOp.Create(grad, Enumerable.Repeat(1, rank).ToArray());
                var inputShape = input.Shape.IsFullyDefined
                    ? ConstOp.Vector(grad.Graph, input.Shape.ToArray())
                    : ShapeOp.Create(input);
                return [TileOp.Create(grad, inputShape), null];
            }
        }
        return General(input, op.Inputs[1], grad);
    }

    /// <summary>
    /// TF's general path: output_shape_kept_dims = reduced_shape(shape(x), axes);
    /// tile(reshape(grad, kept_dims), shape(x) // maximum(kept_dims, 1)). Works with unknown dims.
    /// </summary>
    private static Tensor?[] General(Tensor input, Tensor axes, Tensor grad)
    {
        var inputShape = PyArrayOps.Shape(input);
        var keptDims = ReductionShapes.ReducedShape(inputShape, axes);
        var tileScaling = ReductionShapes.SafeShapeDiv(inputShape, keptDims);
        grad = ReshapeOp.Create(grad, keptDims);
        return [TileOp.Create(grad, tileScaling), null];
    }
}
