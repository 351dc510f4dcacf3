using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF 1.x summary naming: a summary opens a name scope named after it (uniquified, so "loss"
/// becomes "loss_1" when the scope "loss" exists), its tag is that scope's full name, the
/// tag constant is "&lt;scope&gt;/tags" (or "tag"), and the op takes the scope's name.
/// </summary>
internal static class SummaryScope
{
    public static Tensor Build(string type, string name, string tagArgName, Tensor values,
        Func<string, IReadOnlyList<Tensor>, (string, Proto.AttrValue)[]>? extraAttrs = null, string? family = null)
    {
        var graph = values.Graph;
        using var scope = graph.NameScope(family is null ? name : family + "/" + name);
        string tag = scope.Name;
        var tagTensor = ConstOp.Create(NDArray.FromString(tag), tagArgName, graph);
        var inputs = new[] { tagTensor, values };
        var attrs = new List<(string, Proto.AttrValue)> { OpBuilder.T(values.DType) };
        if (extraAttrs is not null) attrs.AddRange(extraAttrs(tag, inputs));
        var op = OpBuilder.Create(graph, type, scope.ScopeName, inputs, attrs.ToArray());
        graph.AddToCollection(GraphKeys.Summaries, op.Output);
        return op.Output;
    }
}
