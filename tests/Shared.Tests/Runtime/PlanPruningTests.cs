using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>What a run executes: values read, stateful effects, and nothing else.</summary>
public class PlanPruningTests
{
    [Fact]
    public void APureOpThatIsOnlyAControlInputIsNotExecuted()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        // An unfed placeholder fails when executed: a detector for "did this op run?".
        var unfed = tf.placeholder(tf.float32, Shape.Scalar, name: "unfed");
        var gate = ControlFlow.Group([tf.negative(unfed).op.Value]);
        var y = IdentityOp.Create(tf.constant(2f), "y", [gate]);
        using var session = new Session(graph);
        Assert.Equal(2f, session.Run(y)!.Floats[0]);
        // Reading its value makes it run, and then it fails as it should.
        Assert.Throws<InvalidArgumentException>(() => session.Run(tf.negative(unfed)));
    }

    [Fact]
    public void AStatefulOpBehindAControlEdgeStillRuns()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        Variable v = tf.Variable(tf.constant(1f), name: "v");
        var assign = AssignOp.Create(v.Ref, tf.constant(5f)).Op;
        var y = IdentityOp.Create(tf.constant(0f), "y", [assign]);
        using var session = new Session(graph);
        session.Run(tf.global_variables_initializer());
        session.Run(y);
        Assert.Equal(5f, session.Run(v.Value)!.Floats[0]);
    }
}
