using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF's _MinOrMaxGrad, shared by Max and Min: the gradient flows to the selected elements,
/// split evenly between ties — indicators = Cast(Equal(y, x)), divided by their count.
/// </summary>
internal static class MinMaxGradient
{
    public static Tensor?[] Build(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var input = op.Inputs[0];
        var grad = grads[0]!;
        var inputShape = PyArrayOps.Shape(input);
        var keptDims = ReductionShapes.ReducedShape(inputShape, op.Inputs[1]);
        var y = ReshapeOp.Create(op.Outputs[0], keptDims);
        grad = ReshapeOp.Create(grad, keptDims);
        var indicators = CastOp.CastIfNeeded(EqualOp.Create(y, input), grad.DType);
        var numSelected = ReshapeOp.Create(SumOp.Create(indicators, op.Inputs[1]), keptDims);
        // math_ops.div on floats is RealDiv named "div"; `* grad` is "mul".
        return [MulOp.Create(RealDivOp.Create(indicators, numSelected, "div"), grad, "mul"), null];
    }
}
