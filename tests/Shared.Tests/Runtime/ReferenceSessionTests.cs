using System.Numerics;
using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Mnist;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>
/// A reference session (<see cref="SessionOptions.Reference"/>) takes no fast path: its plans hold no fused step
/// and the kernels it runs take their plain paths, which <see cref="KernelProbe"/> counts on the calling thread.
/// </summary>
public class ReferenceSessionTests
{
    private static readonly KernelProbe.Path[] Paths = Enum.GetValues<KernelProbe.Path>();

    private static (Graph Graph, MnistNetwork Net) Network()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        return (graph, MnistNetwork.Build(new MnistHyperParameters()));
    }

    /// <summary>Binarised-looking images (mostly zero, so the sparse products apply) and one-hot labels.</summary>
    private static (NDArray Images, NDArray Labels) Batch(int rows, int seed)
    {
        var rng = new Random(seed);
        var images = new NDArray(DType.Float, [rows, 784], Enumerable.Range(0, rows * 784).Select(_ => rng.NextSingle() < 0.85f ? 0f : rng.NextSingle()).ToArray());
        var labels = new NDArray(DType.Float, [rows, 10], new float[rows * 10]);
        for (int r = 0; r < rows; r++) labels.Floats[r * 10 + rng.Next(10)] = 1;
        return (images, labels);
    }

    /// <summary>A training step with every summary and a test pass over 2000 images (large enough to split), as the Trainer runs them.</summary>
    private static long[] PathsTakenBy(Session session, MnistNetwork net, Graph graph)
    {
        using var _ = graph.AsDefault();
        session.Seed = 1;
        session.Run(tf.global_variables_initializer());
        var before = Paths.Select(KernelProbe.Count).ToArray();
        var (images, labels) = Batch(100, 2);
        session.Run([net.Merged, net.TrainStep], [(net.InputData, images), (net.InputLabel, labels), (net.KeepProb!, 0.9f)]);
        var (testImages, testLabels) = Batch(2000, 3);
        session.Run([net.Merged, net.Accuracy], [(net.InputData, testImages), (net.InputLabel, testLabels), (net.KeepProb!, 1f)]);
        return Paths.Select((p, i) => KernelProbe.Count(p) - before[i]).ToArray();
    }

    [Fact]
    public void AReferencePlanHasNoFusedStepEvenWhenFusionIsSwitchedOnLater()
    {
        var (graph, net) = Network();
        using var session = new Session(graph, SessionOptions.Reference) { FuseElementwise = true, InterOp = InterOpMode.Parallel };
        var plan = session.GetPlan([net.Merged, net.Accuracy, net.CrossEntropy], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]);
        Assert.All(plan.Groups, g => Assert.Null(g));
        using var fast = new Session(graph);
        var fastPlan = fast.GetPlan([net.Merged, net.Accuracy, net.CrossEntropy], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]);
        Assert.Contains(fastPlan.Groups, g => g is not null); // the same graph does fuse in a default session
    }

    [Fact]
    public void AReferenceSessionTakesNoFastPath_WhereADefaultOneTakesThem()
    {
        var (graph, net) = Network();
        using var fast = new Session(graph) { InterOp = InterOpMode.InOrder }; // every kernel decided on this thread
        var fastTaken = PathsTakenBy(fast, net, graph);
        Assert.True(fastTaken[(int)KernelProbe.Path.FusedStep] > 0, "the probe saw no fused step in a default session");
        Assert.True(fastTaken[(int)KernelProbe.Path.SparseProduct] > 0, "the probe saw no sparse product in a default session");
        if (GemmIsaDetect.Best != GemmIsa.Scalar) Assert.True(fastTaken[(int)KernelProbe.Path.VectorGemm] > 0, "no vector GEMM seen");
        if (Vector.IsHardwareAccelerated) Assert.True(fastTaken[(int)KernelProbe.Path.VectorSum] > 0, "no vector sum seen");

        using var reference = new Session(graph, SessionOptions.Reference) { FuseElementwise = true, InterOp = InterOpMode.Parallel };
        var referenceTaken = PathsTakenBy(reference, net, graph);
        for (int i = 0; i < Paths.Length; i++)
            Assert.True(referenceTaken[i] == 0, $"the reference session took {Paths[i]} {referenceTaken[i]} times");
    }
}
