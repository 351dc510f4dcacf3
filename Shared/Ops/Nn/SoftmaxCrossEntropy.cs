using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// tf.nn.softmax_cross_entropy_with_logits_v2 as TF 1.9 builds it, node for node: flatten logits
/// and labels to [-1, classes] (Rank, Shape, Sub, Slice, concat, Reshape), the fused
/// SoftmaxCrossEntropyWithLogits op named after the scope, then reshape the cost back to the
/// input's shape without the class axis (Sub_2, Slice_2, Reshape_2).
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// TF 1.x's deprecated tf.nn.softmax_cross_entropy_with_logits: in the scope "softmax_cross_entropy_with_logits_sg"
    /// (TF's default name) labels pass through stop_gradient ("labels_stop_gradient"), then the v2 graph is built in
    /// that same scope, so the fused op takes the scope's name. No gradient flows to the labels.
    /// </summary>
    public static Tensor WithLogits(Tensor labels, Tensor logits, string name = "softmax_cross_entropy_with_logits_sg")
    {
        var graph = logits.Graph;
        string scopeName;
        using (var scope = graph.NameScope(name))
        {
            labels = StopGradientOp.Create(labels, "labels_stop_gradient");
            scopeName = scope.ScopeName;
        }
        return WithLogitsV2(labels, logits, scopeName);
    }

    /// <summary>tf.nn.softmax_cross_entropy_with_logits_v2: the cost of each row, labels and logits [..., classes].</summary>
    public static Tensor WithLogitsV2(Tensor labels, Tensor logits, string name = "softmax_cross_entropy_with_logits")
    {
        var graph = logits.Graph;
        using var scope = graph.NameScope(name);
        var inputRank = Rank(logits);
        var inputShape = ShapeOp.Create(logits);
        var flatLogits = FlattenOuterDims(logits);
        var flatLabels = FlattenOuterDims(labels);
        var (cost, _) = SoftmaxCrossEntropyWithLogitsOp.Create(flatLogits, flatLabels, scope.ScopeName);
        var rankMinusOne = SubOp.Create(inputRank, ConstOp.Scalar(graph, 1, DType.Int32, "y"));
        var outputShape = Slice(inputShape,
            () => ConstOp.Vector(graph, [0], "begin"),
            () => Pack(rankMinusOne, "size"));
        var result = ReshapeOp.Create(cost, outputShape);
        if (logits.Shape.IsKnownRank) result.SetShape(new Shape(logits.Shape.Dims.Take(logits.Shape.Rank - 1).ToArray()));
        return result;
    }

    /// <summary>TF's _flatten_outer_dims: reshape(x, concat([[-1], shape(x)[rank-1:]], 0)).</summary>
    private static Tensor FlattenOuterDims(Tensor x)
    {
        var graph = x.Graph;
        var rank = Rank(x);
        var shape = ShapeOp.Create(x);
        var rankMinusOne = SubOp.Create(rank, ConstOp.Scalar(graph, 1, DType.Int32, "y"));
        var lastDimSize = Slice(shape, () => Pack(rankMinusOne, "begin"), () => ConstOp.Vector(graph, [1], "size"));
        Tensor newShape;
        using (var concat = graph.NameScope("concat"))
        {
            var minusOne = ConstOp.Vector(graph, [-1], "values_0");
            var axis = ConstOp.Scalar(graph, 0, DType.Int32, "axis");
            newShape = OpBuilder.Create(graph, "ConcatV2", concat.ScopeName, [minusOne, lastDimSize, axis],
                ("N", Attr.Int(2)), OpBuilder.T(DType.Int32), ("Tidx", Attr.Type(DType.Int32))).Output;
        }
        var output = ReshapeOp.Create(x, newShape);
        if (x.Shape.IsKnownRank)
        {
            var outer = x.Shape.Dims.Take(x.Shape.Rank - 1).ToArray();
            int product = outer.All(d => d >= 0) ? outer.Aggregate(1, (a, d) => a * d) : -1;
            output.SetShape(new Shape(product, x.Shape[-1]));
        }
        return output;
    }

    private static Tensor Rank(Tensor x) =>
        OpBuilder.Create(x.Graph, "Rank", "Rank", [x], OpBuilder.T(x.DType)).Output;

    private static Tensor Pack(Tensor value, string name) =>
        OpBuilder.Create(value.Graph, "Pack", name, [value], ("N", Attr.Int(1)), OpBuilder.T(value.DType), ("axis", Attr.Int(0))).Output;

    /// <summary>array_ops.slice: begin and size are made inside the "Slice" scope, as TF converts them there.</summary>
    private static Tensor Slice(Tensor input, Func<Tensor> begin, Func<Tensor> size)
    {
        var graph = input.Graph;
        using var scope = graph.NameScope("Slice");
        var b = begin();
        var s = size();
        return OpBuilder.Create(graph, "Slice", scope.ScopeName, [input, b, s], OpBuilder.T(input.DType), ("Index", Attr.Type(DType.Int32))).Output;
    }
}
