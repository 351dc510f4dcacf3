using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>Two ops that update one variable with no order between them (TF leaves their order undefined): the plan
/// runs them in its own order, on every executor and scheduler alike, instead of failing to build.</summary>
public class UnorderedWritersTests
{
    [Fact]
    public void AnAssignAndAnUpdateOfOneVariable_InOneRun_RunInPlanOrderEverywhere()
    {
        float[]? expected = null;
        foreach (var (options, mode) in new[] { (SessionOptions.Reference, InterOpMode.InOrder), (SessionOptions.Default, InterOpMode.InOrder), (SessionOptions.Default, InterOpMode.Parallel) })
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            Variable w = tf.Variable(tf.constant(new NDArray(DType.Float, [2], new float[] { 1, 2 })), name: "w");
            var init = tf.global_variables_initializer();
            var assign = AssignOp.Create(w.Ref, tf.constant(new NDArray(DType.Float, [2], new float[] { 5, 6 })));
            var update = ApplyGradientDescentOp.Create(w.Ref, tf.constant(1f), tf.constant(new NDArray(DType.Float, [2], new float[] { 10, 10 })));
            var read = tf.identity(w.Ref) * 2f;
            using var session = new Session(graph, options) { InterOp = mode };
            session.Run(init);
            session.Run(new Fetch[] { read, assign.Op, update.Op });
            var after = session.Run(w.Ref)!.Floats.ToArray();
            expected ??= after;
            Assert.Equal(expected, after);
            // Assign then update, or update then assign: either order, but one of the two, the same everywhere.
            Assert.True(after.SequenceEqual([-5f, -4f]) || after.SequenceEqual([5f, 6f]), $"w = [{string.Join(", ", after)}]");
        }
    }
}
