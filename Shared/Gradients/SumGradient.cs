using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Gradients;

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
            var mask = Kernels.Reduction.AxisMask(rank, axes, op.Name);
            if (mask.All(m => m))
            {
                // Reduce-all: reshape to [1,...,1] and tile by the input's shape (static if known).
                grad = ReshapeOp.Create(grad, Enumerable.Repeat(1, rank).ToArray());
                var inputShape = input.Shape.IsFullyDefined
                    ? ConstOp.Vector(grad.Graph, input.Shape.ToArray())
                    : ShapeOp.Create(input);
                return [TileOp.Create(grad, inputShape), null];
            }
            if (input.Shape.IsFullyDefined)
            {
                var dims = input.Shape.ToArray();
                var kept = dims.Select((d, i) => mask[i] ? 1 : d).ToArray();
                var multiples = dims.Select((d, i) => mask[i] ? d : 1).ToArray();
                grad = ReshapeOp.Create(grad, kept);
                return [TileOp.Create(grad, ConstOp.Vector(grad.Graph, multiples)), null];
            }
        }
        throw new NotSupportedException(
            $"The gradient of '{op.Name}' ({op.Type}) needs constant axes and a known input shape; '{input.Name}' has shape {input.Shape}.");
    }
}
