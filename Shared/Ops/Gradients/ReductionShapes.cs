using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// The shape arithmetic reduction gradients share in TF 1.9: math_ops.reduced_shape and
/// math_grad's _safe_shape_div, built op for op so the nodes carry TF's names.
/// </summary>
public static class ReductionShapes
{
    /// <summary>
    /// math_ops.reduced_shape: the input shape with reduced axes set to 1 —
    /// DynamicStitch([range(rank), (axes + rank) % rank], [shape, fill(shape(axes), 1)]).
    /// </summary>
    public static Tensor ReducedShape(Tensor inputShape, Tensor axes)
    {
        inputShape = PyArrayOps.ToInt32(inputShape);
        axes = PyArrayOps.ToInt32(axes);
        var graph = inputShape.Graph;
        var inputRank = PyArrayOps.Size(inputShape);
        axes = FloorModOp.Create(AddOp.Create(axes, inputRank, "add"), inputRank, "mod");
        var axesShape = PyArrayOps.Shape(axes);
        var ranks = RangeOp.Range(inputRank);
        Tensor ones;
        using (var scope = graph.NameScope("Fill"))
            ones = FillOp.Create(axesShape, ConstOp.Create(1, "value", graph), scope.ScopeName);
        return DynamicStitchOp.Create([ranks, axes], [inputShape, ones]);
    }

    /// <summary>_safe_shape_div: x // maximum(y, 1) ("Maximum" with "Maximum/y", then "floordiv").</summary>
    public static Tensor SafeShapeDiv(Tensor x, Tensor y)
    {
        var graph = x.Graph;
        Tensor bounded;
        using (var scope = graph.NameScope("Maximum"))
        {
            var one = ConstOp.Scalar(graph, 1f, y.DType, "y");
            bounded = OpBuilder.Create(graph, "Maximum", scope.ScopeName, [y, one], OpBuilder.T(y.DType)).Output;
        }
        return FloorDivOp.Create(x, bounded, "floordiv");
    }
}
