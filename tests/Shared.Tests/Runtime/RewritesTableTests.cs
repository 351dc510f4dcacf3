using System.Reflection;
using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Mnist;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>
/// Walks <see cref="Rewrites.All"/>: each rewrite says what it matches and when it acts, names only op properties that
/// exist, and a reference session takes none of them while a default one takes the MNIST network's.
/// </summary>
public class RewritesTableTests
{
    [Fact]
    public void EveryRewriteStatesItsPatternGuardAndPlace_UnderAUniqueName()
    {
        Assert.NotEmpty(Rewrites.All);
        Assert.Equal(Rewrites.All.Count, Rewrites.All.Select(r => r.Name).Distinct().Count());
        foreach (var rewrite in Rewrites.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(rewrite.Name));
            Assert.False(string.IsNullOrWhiteSpace(rewrite.Pattern), $"{rewrite.Name} has no pattern");
            Assert.False(string.IsNullOrWhiteSpace(rewrite.Guard), $"{rewrite.Name} has no guard");
            Assert.False(string.IsNullOrWhiteSpace(rewrite.ActsIn), $"{rewrite.Name} does not say where it acts");
            // A plan-time rewrite is found by ElementwiseFusion through its finder; a run-time one lives in a kernel.
            Assert.Equal(rewrite.Stage == RewriteStage.Plan, rewrite.Find is not null);
        }
        // The plan-time ones come first: the later ones read what earlier ones took.
        var stages = Rewrites.All.Select(r => r.Stage).ToArray();
        Assert.Equal(stages.OrderBy(s => s), stages);
    }

    [Fact]
    public void EveryReliedOnNameIsAMemberOfTheOpContract()
    {
        var contract = typeof(OpDefinition).GetMembers(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToHashSet();
        // Optional capabilities of an op are interfaces of the Ops namespace that definitions implement (ITileKernel).
        var capabilities = typeof(OpDefinition).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.Namespace == "TfMnist.Ops").Select(t => t.Name).ToHashSet();
        foreach (var rewrite in Rewrites.All)
            foreach (string name in rewrite.ReliesOn)
                Assert.True(contract.Contains(name) || capabilities.Contains(name),
                    $"{rewrite.Name} relies on '{name}', which is neither a member of OpDefinition nor an op interface");
        Assert.Contains(Rewrites.All, r => r.ReliesOn.Contains(nameof(OpDefinition.ForwardedInput)));
    }

    [Fact]
    public void EveryPlanTimeGroupKindComesFromTheTable()
    {
        var (graph, net) = Network();
        using var session = new Session(graph);
        var plan = session.GetPlan([net.Merged, net.Accuracy], [net.InputData, net.InputLabel, net.KeepProb!], []);
        var kinds = plan.Groups.OfType<FusionGroup>().Select(g => g.GetType()).Distinct().ToHashSet();
        // The test pass's plan holds one of each: Round into MatMul, dropout's loop, the hidden layer's histogram pair.
        Assert.Equal(new HashSet<Type> { typeof(RoundIntoProduct), typeof(ElementwiseLoop), typeof(ReluHistogramPair) }, kinds);
    }

    [Fact]
    public void AReferenceSessionTakesNoRewriteOfTheTable_WhereADefaultOneTakesThem()
    {
        var (graph, net) = Network();
        using var fast = new Session(graph) { InterOp = InterOpMode.InOrder }; // every kernel decided on this thread
        var (fastProbes, fastMasks, fastForwards, fastGroups) = Taken(fast, net, graph);
        using var reference = new Session(graph, SessionOptions.Reference) { FuseElementwise = true, InterOp = InterOpMode.Parallel };
        var (referenceProbes, referenceMasks, referenceForwards, referenceGroups) = Taken(reference, net, graph);

        foreach (var rewrite in Rewrites.All)
        {
            if (rewrite.Probe is { } path)
            {
                Assert.True(fastProbes[path] > 0, $"a default session never took {rewrite.Name} ({path})");
                Assert.True(referenceProbes[path] == 0, $"the reference session took {rewrite.Name} ({path}) {referenceProbes[path]} times");
            }
        }
        Assert.True(fastGroups > 0, "a default session's plan held no fused step");
        Assert.Equal(0, referenceGroups); // so no plan-time rewrite of the table
        Assert.True(fastMasks > 0 && fastForwards > 0, "the test pass's dropout at keep_prob 1 was neither constant nor forwarded");
        Assert.Equal(0, referenceMasks);
        Assert.Equal(0, referenceForwards);
    }

    private static (Graph Graph, MnistNetwork Net) Network()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        return (graph, MnistNetwork.Build(new MnistHyperParameters()));
    }

    /// <summary>A training step and a test pass at keep_prob 1, as the Trainer runs them: what each path counted, and the plans' fused steps.</summary>
    private static (Dictionary<KernelProbe.Path, long> Probes, long Masks, long Forwards, int Groups) Taken(Session session, MnistNetwork net, Graph graph)
    {
        using var _ = graph.AsDefault();
        session.Seed = 1;
        session.Run(tf.global_variables_initializer());
        var paths = Enum.GetValues<KernelProbe.Path>();
        var before = paths.ToDictionary(p => p, KernelProbe.Count);
        long masks = FusedElementwiseKernel.ConstantMasksFound, forwards = FusedElementwiseKernel.IdentitiesForwarded;
        var (images, labels) = Batch(100, 2);
        session.Run([net.Merged, net.TrainStep], [(net.InputData, images), (net.InputLabel, labels), (net.KeepProb!, 0.9f)]);
        var (testImages, testLabels) = Batch(2000, 3);
        session.Run([net.Merged, net.Accuracy], [(net.InputData, testImages), (net.InputLabel, testLabels), (net.KeepProb!, 1f)]);
        var plan = session.GetPlan([net.Merged, net.Accuracy], [net.InputData, net.InputLabel, net.KeepProb!], []);
        return (paths.ToDictionary(p => p, p => KernelProbe.Count(p) - before[p]), FusedElementwiseKernel.ConstantMasksFound - masks,
            FusedElementwiseKernel.IdentitiesForwarded - forwards, plan.Groups.Count(g => g is not null));
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
}
