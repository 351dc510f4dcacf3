using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Proto;
using TfMnist.Tests.Checkpoint;
using TfMnist.Train;

namespace TfMnist.Tests.Optimizers;

/// <summary>
/// AdamOptimizer against the graph real TensorFlow 1.8 wrote (shared/tf-reference, tf1.8-softmax-cond): the same
/// softmax-regression variables minimized inside the variable scope "model/train_op" give the same Adam nodes —
/// names, types, inputs (the gradients aside), control inputs, colocation and attr names.
/// </summary>
public class AdamConformanceTests
{
    private const string Scope = "model/train_op/";

    private static bool IsAdamNode(string name) =>
        name.StartsWith(Scope, StringComparison.Ordinal) && !name.StartsWith(Scope + "gradients", StringComparison.Ordinal)
        && (name.Contains("Adam") || name.Contains("beta"));

    private static string Describe(NodeDef node)
    {
        var inputs = node.Input.Where(i => !i.TrimStart('^').StartsWith(Scope + "gradients", StringComparison.Ordinal));
        var classes = node.Attr.TryGetValue("_class", out var c) ? string.Join(",", c.List.S.Select(s => s.ToStringUtf8())) : "";
        var attrs = node.Attr.Keys.Where(k => k is not ("_output_shapes" or "_class")).Order(StringComparer.Ordinal);
        return $"{node.Op}({string.Join(", ", inputs)}) class=[{classes}] attrs=[{string.Join(",", attrs)}]";
    }

    [Fact]
    public void AdamBuildsTheNodesTensorFlow18Wrote()
    {
        var meta = MetaGraphDef.Parser.ParseFrom(File.ReadAllBytes(ReferenceCheckpoints.Prefix(ReferenceCheckpoints.Tf18) + ".meta"));
        var expected = meta.GraphDef.Node.Where(n => IsAdamNode(n.Name)).ToDictionary(n => n.Name, Describe);
        Assert.True(expected.Count > 30, $"only {expected.Count} Adam nodes in the reference graph");

        var g = new Graph(caseInsensitiveNames: false);
        using (g.AsDefault())
        {
            var w = new Variable(NDArray.Zeros(DType.Float, 784, 10), "Variable");
            var b = new Variable(NDArray.Zeros(DType.Float, 10), "Variable_1");
            var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 784), "x");
            var loss = SumOp.Create(ReshapeOp.Create(MatMulOp.Create(x, w.Value) + b.Value, [-1]), [0]);
            using (VariableScopes.Enter(g, "model"))
            using (VariableScopes.Enter(g, "train_op"))
                new AdamOptimizer().Minimize(loss);
        }
        var actual = g.ToGraphDef().Node.Where(n => IsAdamNode(n.Name)).ToDictionary(n => n.Name, Describe);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, description) in expected)
            Assert.True(description == actual[name], $"{name}:{Environment.NewLine}  TF 1.8: {description}{Environment.NewLine}  ours:   {actual[name]}");
    }
}
