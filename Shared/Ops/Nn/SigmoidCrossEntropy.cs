using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// tf.nn.sigmoid_cross_entropy_with_logits as TF 1.x's nn_impl builds it, node for node, in the scope
/// "logistic_loss": zeros = zeros_like(logits); cond = logits &gt;= zeros; relu_logits = where(cond, logits, zeros);
/// neg_abs_logits = where(cond, -logits, logits); add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)))
/// named after the scope. Nodes: "zeros_like", "GreaterEqual", "Select", "Neg", "Select_1", "mul", "sub", "Exp",
/// "Log1p", and the Add "logistic_loss" itself.
/// </summary>
public static class SigmoidCrossEntropy
{
    /// <summary>max(x, 0) − x·z + log(1 + e^−|x|) elementwise, for logits x and labels z of one shape.</summary>
    public static Tensor WithLogits(Tensor labels, Tensor logits, string name = "logistic_loss")
    {
        var graph = logits.Graph;
        if (labels.Graph != graph) throw new ArgumentException("labels and logits must be from the same graph.");
        if (!labels.Shape.IsCompatibleWith(logits.Shape))
            throw new ShapeMismatchException($"logits and labels must have the same shape ({logits.Shape} vs {labels.Shape})");
        if (labels.DType != logits.DType)
            throw new ArgumentException($"logits ({logits.DType.TfName()}) and labels ({labels.DType.TfName()}) must have the same dtype.");
        using var scope = graph.NameScope(name);
        var zeros = PyArrayOps.ZerosLike(logits);
        var cond = GreaterEqualOp.Create(logits, zeros);
        var reluLogits = SelectOp.Create(cond, logits, zeros);
        var negAbsLogits = SelectOp.Create(cond, NegOp.Create(logits), logits);
        var linear = reluLogits - logits * labels;
        var softplus = Log1pOp.Create(ExpOp.Create(negAbsLogits));
        return OpBuilder.Create(graph, "Add", scope.ScopeName, [linear, softplus], OpBuilder.T(logits.DType)).Output;
    }
}
