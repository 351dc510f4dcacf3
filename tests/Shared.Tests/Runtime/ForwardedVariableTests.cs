using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>
/// A fused x · 1 publishes x itself; when x is a variable's storage behind any chain of forwarding ops, an
/// update later in the same run must not show through the fetched value.
/// </summary>
public class ForwardedVariableTests
{
    private static readonly float[] Initial = [1, -2, 3, -4, 5, -6];

    public static TheoryData<string> Chains => ["stop_gradient", "identity/stop_gradient", "stop_gradient/reshape", "reshape/expand_dims/squeeze", "assign"];

    private static Tensor Forward(string chain, Variable w)
    {
        Tensor t = w.Ref;
        foreach (var step in chain.Split('/'))
            t = step switch
            {
                "stop_gradient" => tf.stop_gradient(t),
                "identity" => tf.identity(t),
                "reshape" => tf.reshape(t, [3, 2]),
                "expand_dims" => ExpandDimsOp.Create(t, 0),
                "squeeze" => SqueezeOp.Create(t, [0]),
                "assign" => AssignOp.Create(t, tf.constant(new NDArray(DType.Float, [2, 3], Initial))),
                _ => throw new ArgumentException(step),
            };
        return t;
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void AnUpdateLaterInTheRunDoesNotShowThroughAForwardedTimesOne(string chain)
    {
        foreach (var mode in new[] { InterOpMode.InOrder, InterOpMode.Parallel })
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            Variable w = tf.Variable(tf.constant(new NDArray(DType.Float, [2, 3], Initial)), name: "w");
            var one = tf.placeholder(tf.float32, name: "one");
            var init = tf.global_variables_initializer();
            var y = tf.div(Forward(chain, w), one) * one; // two members, so the group forwards x · 1
            // Two unordered writers of one variable make a cycle of read-before-write edges: order them.
            using var afterAssign = graph.ControlDependencies(graph.Operations.Where(op => op.Type == "Assign" && op != w.Initializer).ToArray());
            var update = ApplyGradientDescentOp.Create(w.Ref, tf.constant(1f), tf.constant(new NDArray(DType.Float, [2, 3], new float[] { 10, 10, 10, 10, 10, 10 })));
            using var session = new Session(graph) { InterOp = mode };
            session.Run(init);
            var (fetched, _) = session.Run((y, update), (one, 1f));
            Assert.Equal(Initial, fetched!.Floats.ToArray());
            Assert.Equal(Initial.Select(v => v - 10), session.Run(w.Ref)!.Floats.ToArray());
        }
    }

    [Fact]
    public void OpsThatPublishTheirInputSayWhichInput()
    {
        string[] forwarding = ["Identity", "StopGradient", "Reshape", "ExpandDims", "Squeeze", "Assign", "ApplyGradientDescent",
            "ApplyAdam", "ApplyMomentum", "AssignAdd"];
        foreach (var op in OpRegistry.All)
            Assert.True((op.ForwardedInput == 0) == forwarding.Contains(op.Type), $"{op.Type}: ForwardedInput {op.ForwardedInput}");
        Assert.Equal(["Variable", "VariableV2"], OpRegistry.All.Where(op => op.IsVariable).Select(op => op.Type).Order(StringComparer.Ordinal));
    }
}
