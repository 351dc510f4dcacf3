using System.Runtime.CompilerServices;
using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>A program that makes sessions in a loop must not keep them: once a session is disposed and dropped,
/// it, its plans and its graph are collectable.</summary>
public class SessionLifetimeTests
{
    [Fact]
    public void ADroppedSession_ItsPlansAndItsGraph_AreCollected()
    {
        var (session, graph) = RunOnceAndDrop();
        for (int i = 0; i < 3 && (session.IsAlive || graph.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(session.IsAlive, "the session is still reachable after Dispose and a full collection");
        Assert.False(graph.IsAlive, "the graph is still reachable after its session was disposed and dropped");
    }

    // Not inlined, so no local of the caller keeps the session alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Session, WeakReference Graph) RunOnceAndDrop()
    {
        var graph = new Graph();
        Tensor x, y;
        using (graph.AsDefault())
        {
            x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
            y = tf.nn.relu(x * 2f);
        }
        var session = new Session(graph);
        var value = session.Run(y, new FeedItem(x, new float[,] { { 1, -2, 3 } }))!;
        Assert.Equal([2f, 0f, 6f], value.Floats.ToArray());
        session.Dispose();
        return (new WeakReference(session), new WeakReference(graph));
    }
}
