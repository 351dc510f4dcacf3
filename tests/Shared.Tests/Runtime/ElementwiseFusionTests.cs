using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>Fused elementwise loops: which ops a plan fuses, and that fusing never changes a bit.</summary>
public class ElementwiseFusionTests
{
    private static (Graph Graph, MnistNetwork Net) Network()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var net = MnistNetwork.Build(new MnistHyperParameters());
        return (graph, net);
    }

    private static IEnumerable<string[]> GroupsOf(Session session, Tensor[] fetches, Tensor[] feeds, Operation[] targets)
    {
        var plan = session.GetPlan(fetches, feeds, targets);
        return plan.Groups.OfType<FusionGroup>().Select(g => g.Steps.Select(k => plan.Ops[k].Name).ToArray());
    }

    [Fact]
    public void TheTestPassFusesTfDropoutIntoOneLoopThatWritesOnlyItsResult()
    {
        var (graph, net) = Network();
        using var session = new Session(graph);
        var plan = session.GetPlan([net.Merged, net.Accuracy], [net.InputData, net.InputLabel, net.KeepProb!], []);
        var dropout = plan.Groups.OfType<ElementwiseLoop>().Single(g => g.Steps.Any(k => plan.Ops[k].Name == "dropout/dropout/Floor"));
        var names = dropout.Steps.Select(k => plan.Ops[k].Name).ToArray();
        Assert.Equal(new[] { "dropout/dropout/random_uniform/RandomUniform", "dropout/dropout/random_uniform/mul", "dropout/dropout/random_uniform",
            "dropout/dropout/add", "dropout/dropout/Floor", "dropout/dropout/div", "dropout/dropout/mul" }.Order(), names.Order());
        // Only the dropout output leaves the loop: the output layer's MatMul reads it.
        var exported = dropout.Steps.Where((_, m) => dropout.Exported[m]).Select(k => plan.Ops[k].Name);
        Assert.Equal(["dropout/dropout/mul"], exported);
    }

    [Fact]
    public void InTrainingTheMaskIsWrittenOutBecauseTheGradientReadsIt()
    {
        var (graph, net) = Network();
        using var session = new Session(graph);
        var plan = session.GetPlan([net.Merged], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]);
        var dropout = plan.Groups.OfType<ElementwiseLoop>().Single(g => g.Steps.Any(k => plan.Ops[k].Name == "dropout/dropout/Floor"));
        int floor = Array.FindIndex(dropout.Steps, k => plan.Ops[k].Name == "dropout/dropout/Floor");
        Assert.True(dropout.Exported[floor]);
    }

    private static (float[] Weights, byte[] TrainSummary, byte[] TestSummary, float Accuracy, float[] Dropped) Run(bool fuse)
    {
        var (graph, net) = Network();
        using var _ = graph.AsDefault();
        var init = tf.global_variables_initializer();
        var weights = graph.GetTensorByName("layerOutput/weights/Variable:0");
        var dropped = graph.GetTensorByName("dropout/dropout/mul:0");
        using var session = new Session(graph) { Seed = 11, FuseElementwise = fuse };
        session.Run(init);
        var rng = new Random(2);
        byte[] trainSummary = [], testSummary = [];
        float accuracy = 0;
        float[] droppedValues = [];
        for (int step = 0; step < 12; step++)
        {
            // Every fourth step a large "test" batch: split over the cores and many tiles per part.
            int batch = step % 4 == 3 ? 3000 : 100;
            var images = new float[batch * 784];
            var labels = new float[batch * 10];
            for (int i = 0; i < images.Length; i++) images[i] = rng.Next(5) == 0 ? 1f : 0f;
            for (int r = 0; r < batch; r++) labels[r * 10 + rng.Next(10)] = 1f;
            var x = new NDArray(DType.Float, [batch, 784], images);
            var y = new NDArray(DType.Float, [batch, 10], labels);
            if (batch == 100)
                trainSummary = session.Run([net.Merged, net.TrainStep], (net.InputData, x), (net.InputLabel, y), (net.KeepProb!, 0.9f))[0]!.Strings[0];
            else
            {
                var results = session.Run([net.Merged, net.Accuracy], (net.InputData, x), (net.InputLabel, y), (net.KeepProb!, 0.7f));
                testSummary = results[0]!.Strings[0];
                accuracy = results[1]!.Floats[0];
                // Fetching a member's output makes the plan write it out; it must match too.
                droppedValues = session.Run(dropped, (net.InputData, x), (net.KeepProb!, 0.5f))!.Floats.ToArray();
            }
        }
        return (session.Run(weights)!.Floats.ToArray(), trainSummary, testSummary, accuracy, droppedValues);
    }

    [Fact]
    public void TrainingAndLargeBatchesGiveTheSameBitsFusedAndUnfused()
    {
        var fused = Run(fuse: true);
        var unfused = Run(fuse: false);
        Assert.Equal(unfused.Weights, fused.Weights);
        Assert.Equal(unfused.TrainSummary, fused.TrainSummary);
        Assert.Equal(unfused.TestSummary, fused.TestSummary);
        Assert.Equal(unfused.Accuracy, fused.Accuracy);
        Assert.Equal(unfused.Dropped, fused.Dropped);
        Assert.Contains(fused.Dropped, v => v == 0f);
        Assert.Contains(fused.Dropped, v => v != 0f);
    }

    private static (Graph, Tensor X, Tensor Y, Tensor Out) Chain()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = tf.placeholder(tf.float32, name: "y");
        var out_ = tf.nn.relu(tf.floor(x * y + x) - y);
        return (graph, x, y, out_);
    }

    [Theory]
    [InlineData(2, 2, 3)]      // same shapes: the fused loop
    [InlineData(1000, 1, 3)]   // y a row, repeated: the fused loop with row-aligned tiles
    [InlineData(1000, 0, 3)]   // y a bare row [3]
    [InlineData(2, 0, 1)]      // y a scalar [1]
    [InlineData(4, 4, 1)]      // y a column: other broadcasting, the members run one by one
    [InlineData(0, 0, 3)]      // empty
    public void AGroupGivesTheUnfusedBitsForEveryBroadcast(int xRows, int yRows, int yColumns)
    {
        float[] Eval(bool fuse)
        {
            var (graph, x, y, output) = Chain();
            using var session = new Session(graph) { FuseElementwise = fuse };
            Assert.Equal(fuse ? 1 : 0, session.GetPlan([output], [x, y], []).Groups.Count(g => g is not null));
            int[] yShape = yRows > 0 ? [yRows, yColumns] : [yColumns];
            var xs = Enumerable.Range(0, xRows * 3).Select(i => (i % 17) * 0.7f - 2f).ToArray();
            var ys = Enumerable.Range(0, yShape.Aggregate(1, (a, d) => a * d)).Select(i => 1.5f - i * 0.4f).ToArray();
            return session.Run(output, (x, new NDArray(DType.Float, [xRows, 3], xs)), (y, new NDArray(DType.Float, yShape, ys)))!.Floats.ToArray();
        }
        Assert.Equal(Eval(fuse: false), Eval(fuse: true));
    }

    [Fact]
    public void AnOpThatReadsTheGroupThroughAnotherOpIsNotFusedIntoIt()
    {
        // b = a + sum(a) cannot join a's loop: sum(a) needs all of a first.
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var a = tf.floor(x * x);
        var total = tf.reduce_sum(a);
        var b = tf.nn.relu(a + total);
        using var session = new Session(graph);
        var groups = GroupsOf(session, [b], [x], []).ToList();
        Assert.DoesNotContain(groups, g => g.Contains(a.op.name) && g.Contains(b.op.name));
        var values = session.Run(b, (x, new[] { 1.5f, -2f, 3f }))!.Floats.ToArray();
        Assert.Equal(new[] { 2f + 15f, 4f + 15f, 9f + 15f }, values);
    }

    [Fact]
    public void TheInputLayerRoundsInsideItsSparseProduct()
    {
        var (graph, net) = Network();
        using var session = new Session(graph);
        var plan = session.GetPlan([net.Merged, net.Accuracy], [net.InputData, net.InputLabel, net.KeepProb!], []);
        var pair = plan.Groups.OfType<RoundIntoProduct>().Single();
        // With the bias add and the ReLU as its epilogue (the product's only reader is the add).
        Assert.Equal(["input/Round", "layerHidden1/linear_compute/MatMul", "layerHidden1/linear_compute/add", "layerHidden1/activation"],
            pair.Steps.Select(k => plan.Ops[k].Name));
        // The test pass stores only the ten rows the image summary reads; training needs all (the weight gradient).
        Assert.Equal(10 * 784, pair.RoundDemand);
        var training = session.GetPlan([net.Merged], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]);
        Assert.Null(training.Groups.OfType<RoundIntoProduct>().Single().RoundDemand);
        var fetchingRound = session.GetPlan([net.Accuracy, graph.GetOperationByName("input/Round").Outputs[0]], [net.InputData, net.InputLabel, net.KeepProb!], []);
        Assert.Null(fetchingRound.Groups.OfType<RoundIntoProduct>().Single().RoundDemand);
    }

    [Fact]
    public void DropoutAtKeepProbOneSkipsTheRandomMaskWithTheSameBitsAndStream()
    {
        // keep_prob 1 (the test pass): the mask is 1 everywhere and its uniforms are not computed; the runs at
        // 0.5 afterwards must still see the same random stream as unfused runs do.
        var rng = new Random(4);
        var xs = Enumerable.Range(0, 3000 * 10).Select(_ => rng.NextSingle() - 0.3f).ToArray();
        (int[] AtOne, int[] AtHalf, int[] AtHalfAgain) Eval(bool fuse)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            var x = tf.placeholder(tf.float32, new Shape(-1, 10), name: "x");
            var keep = tf.placeholder(tf.float32, name: "keep_prob");
            var y = tf.nn.dropout(tf.nn.relu(x), keep);
            // In order: the fused loop then runs on this thread, whose count of constant masks is checked below.
            using var session = new Session(graph) { FuseElementwise = fuse, Seed = 7, InterOp = InterOpMode.InOrder };
            int[] Run(float k) => session.Run(y, (x, new NDArray(DType.Float, [3000, 10], xs)), (keep, k))!.Floats.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            return (Run(1f), Run(0.5f), Run(0.5f));
        }
        long before = TfMnist.Runtime.FusedElementwiseKernel.ConstantMasksFound;
        var fused = Eval(fuse: true);
        Assert.True(TfMnist.Runtime.FusedElementwiseKernel.ConstantMasksFound > before, "the keep_prob 1 run did not take the constant mask");
        var unfused = Eval(fuse: false);
        Assert.Equal(unfused.AtOne, fused.AtOne);
        Assert.Equal(xs.Select(v => BitConverter.SingleToInt32Bits(MathF.Max(v, 0f))), fused.AtOne);
        Assert.Equal(unfused.AtHalf, fused.AtHalf);
        Assert.Equal(unfused.AtHalfAgain, fused.AtHalfAgain);
        Assert.NotEqual(fused.AtHalf, fused.AtHalfAgain);
    }

    [Fact]
    public void DropoutAtKeepProbOnePublishesItsInputItself_AndComputesAtOtherKeepProbs()
    {
        // The network's dropout reads the ReLU from the fused input-layer product, so its RealDiv's x comes from
        // outside the group: at keep_prob 1 the group publishes x (no copy, no arithmetic), which must be exactly
        // what the unfused ops compute, awkward values included; at 0.5 it computes as before.
        float[] special = [-0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f, -1e-40f, float.MaxValue];
        var rng = new Random(8);
        var xs = Enumerable.Range(0, 2000 * 10).Select(i => i % 7 == 0 ? special[rng.Next(special.Length)] : rng.NextSingle() - 0.5f).ToArray();
        (long Forwarded, int[] AtOneBits, int[] AtHalf) Eval(bool fuse)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            var x = tf.placeholder(tf.float32, new Shape(-1, 10), name: "x");
            var keep = tf.placeholder(tf.float32, name: "keep_prob");
            var y = tf.nn.dropout(x, keep);
            // In order: the fused loop then runs on this thread, whose count of forwarded values is checked below.
            using var session = new Session(graph) { FuseElementwise = fuse, Seed = 3, InterOp = InterOpMode.InOrder };
            var fed = new NDArray(DType.Float, [2000, 10], xs.ToArray());
            long before = TfMnist.Runtime.FusedElementwiseKernel.IdentitiesForwarded;
            var bits = session.Run(y, (x, fed), (keep, 1f))!.Floats.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            long forwarded = TfMnist.Runtime.FusedElementwiseKernel.IdentitiesForwarded - before;
            var atHalf = session.Run(y, (x, fed), (keep, 0.5f))!.Floats.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            return (forwarded, bits, atHalf);
        }
        var fused = Eval(fuse: true);
        var unfused = Eval(fuse: false);
        Assert.Equal(1, fused.Forwarded);
        Assert.Equal(0, unfused.Forwarded);
        Assert.Equal(unfused.AtOneBits, fused.AtOneBits);
        Assert.Equal(xs.Select(BitConverter.SingleToInt32Bits), fused.AtOneBits);
        Assert.Equal(unfused.AtHalf, fused.AtHalf);
        Assert.Contains(0, fused.AtHalf); // dropped units: the mask was computed
    }

    [Fact]
    public void DropoutOfAVariableAtKeepProbOneIsComputed_NotPublished()
    {
        // Publishing a variable's own storage would let a later update in the same run show through a fetch.
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var v = tf.Variable(tf.constant(new NDArray(DType.Float, [4, 4], Enumerable.Range(0, 16).Select(i => i - 7.5f).ToArray())), name: "v");
        var keep = tf.placeholder(tf.float32, name: "keep_prob");
        var y = tf.nn.dropout(v, keep);
        using var session = new Session(graph) { Seed = 3, InterOp = InterOpMode.InOrder };
        session.Run(tf.global_variables_initializer());
        long before = TfMnist.Runtime.FusedElementwiseKernel.IdentitiesForwarded;
        var result = session.Run(y, (keep, 1f))!;
        Assert.Equal(before, TfMnist.Runtime.FusedElementwiseKernel.IdentitiesForwarded);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i - 7.5f), result.Floats.ToArray());
    }

    [Fact]
    public void TheHiddenLayersTwoHistogramsComeFromOnePass()
    {
        var (graph, net) = Network();
        using var session = new Session(graph);
        foreach (var plan in new[]
        {
            session.GetPlan([net.Merged, net.Accuracy], [net.InputData, net.InputLabel, net.KeepProb!], []),
            session.GetPlan([net.Merged], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]),
        })
        {
            var pair = plan.Groups.OfType<ReluHistogramPair>().Single(); // the output layer has no ReLU
            Assert.Equal(["layerHidden1/linear_compute/linear", "layerHidden1/activations"], pair.Steps.Select(k => plan.Ops[k].Name));
        }
    }

    [Theory]
    [InlineData(64, 784, 100, "relu")]
    [InlineData(41, 40, 20, "relu")]
    [InlineData(41, 40, 20, "bias only")]
    [InlineData(64, 784, 100, "product fetched")]   // the product must exist: no epilogue
    [InlineData(64, 784, 100, "product read twice")]
    public void ABiasAddAndReluAfterTheRoundedProductGiveTheBitsOfTheOps(int rows, int inner, int columns, string variant)
    {
        var rng = new Random(rows + columns + variant.Length);
        var xs = Enumerable.Range(0, rows * inner).Select(_ => rng.Next(10) < 8 ? rng.NextSingle() * 0.5f : rng.NextSingle() * 2).ToArray();
        var ws = Enumerable.Range(0, inner * columns).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var bs = Enumerable.Range(0, columns).Select(i => i % 7 == 0 ? -0f : rng.NextSingle() - 0.5f).ToArray();
        (List<int[]> Results, int Members) Eval(bool fuse)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            var x = tf.placeholder(tf.float32, new Shape(-1, inner), name: "x");
            var product = tf.matmul(tf.round(x), tf.constant(new NDArray(DType.Float, [inner, columns], ws)));
            var sum = product + tf.constant(new NDArray(DType.Float, [columns], bs));
            var fetches = new List<Tensor> { variant == "relu" || variant.StartsWith("product") ? tf.nn.relu(sum) : sum };
            if (variant == "product fetched") fetches.Add(product);
            if (variant == "product read twice") fetches.Add(tf.nn.relu(product));
            using var session = new Session(graph) { FuseElementwise = fuse };
            int members = session.GetPlan(fetches, [x], []).Groups.OfType<RoundIntoProduct>().SingleOrDefault()?.Steps.Length ?? 0;
            var results = session.Run(fetches.Select(t => (Fetch)t).ToArray(), (x, new NDArray(DType.Float, [rows, inner], xs)));
            return (results.Select(r => r!.Floats.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToList(), members);
        }
        var fused = Eval(fuse: true);
        var unfused = Eval(fuse: false);
        Assert.Equal(variant switch { "relu" => 4, "bias only" => 3, _ => 2 }, fused.Members);
        Assert.Equal(unfused.Results.Count, fused.Results.Count);
        for (int i = 0; i < fused.Results.Count; i++) Assert.Equal(unfused.Results[i], fused.Results[i]);
    }

    [Fact]
    public void RowsOnlyAnImageSummaryReadsAreTheOnlyOnesStored()
    {
        const int rows = 64, side = 8, columns = 20;
        var rng = new Random(5);
        var xs = Enumerable.Range(0, rows * side * side).Select(_ => rng.Next(10) < 8 ? rng.NextSingle() * 0.5f : rng.NextSingle()).ToArray();
        var ws = Enumerable.Range(0, side * side * columns).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        (byte[] Summary, int[] Product, long? Demand) Eval(bool fuse)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            var x = tf.placeholder(tf.float32, new Shape(-1, side * side), name: "x");
            var rounded = tf.round(x);
            var summary = tf.summary.image("input", tf.reshape(rounded, [-1, side, side, 1]), 3);
            var product = tf.matmul(rounded, tf.constant(new NDArray(DType.Float, [side * side, columns], ws)));
            using var session = new Session(graph) { FuseElementwise = fuse };
            var demand = session.GetPlan([summary, product], [x], []).Groups.OfType<RoundIntoProduct>().SingleOrDefault()?.RoundDemand;
            var feed = (x, new NDArray(DType.Float, [rows, side * side], xs));
            session.Run([summary, product], feed); // a second run sees the buffers the first left
            var results = session.Run([summary, product], feed);
            return (results[0]!.Strings[0], results[1]!.Floats.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray(), demand);
        }
        var fused = Eval(fuse: true);
        var unfused = Eval(fuse: false);
        Assert.Equal(3 * side * side, fused.Demand);
        Assert.Equal(unfused.Summary, fused.Summary);
        Assert.Equal(unfused.Product, fused.Product);
    }

    [Theory]
    [InlineData(41, 40, 20, false)]
    [InlineData(64, 784, 100, false)]
    [InlineData(33, 33, 5, true)]    // narrow products stay dense: the two ops' own kernels
    [InlineData(31, 48, 12, true)]
    [InlineData(25, 48, 3, false)]
    [InlineData(3, 16, 12, false)]   // too small to look sparse: the two ops' own kernels
    public void RoundIntoMatMulGivesTheBitsOfRoundThenMatMul(int rows, int inner, int columns, bool transposeB)
    {
        // Mostly |x| <= 0.5 (Round gives ±0), with ties (0.5 -> 0, 1.5 -> 2, 2.5 -> 2) and negatives.
        var rng = new Random(rows * 31 + columns);
        float[] special = [0.5f, -0.5f, 1.5f, 2.5f, -1.5f, -0.3f, 0.49999997f, 0.50000006f, 3.7f, -7.25f, 1e6f];
        var xs = Enumerable.Range(0, rows * inner).Select(_ => rng.Next(10) switch
        {
            < 7 => rng.NextSingle() - 0.5f,
            7 => special[rng.Next(special.Length)],
            _ => rng.NextSingle() * 4 - 2,
        }).ToArray();
        Assert.Equal(rows * inner >= 1024, TfMnist.Kernels.Gemm.MatMulPrefersSparse(xs, rows, inner, rounded: true));
        var ws = Enumerable.Range(0, inner * columns).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        (float[] Rounded, float[] Product) Eval(bool fuse)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            var x = tf.placeholder(tf.float32, new Shape(-1, inner), name: "x");
            var w = tf.constant(new NDArray(DType.Float, transposeB ? [columns, inner] : [inner, columns], ws));
            var rounded = tf.round(x);
            var product = tf.matmul(rounded, w, transpose_b: transposeB);
            using var session = new Session(graph) { FuseElementwise = fuse };
            Assert.Equal(fuse, session.GetPlan([rounded, product], [x], []).Groups.Any(g => g is RoundIntoProduct));
            var results = session.Run([rounded, product], (x, new NDArray(DType.Float, [rows, inner], xs)));
            return (results[0]!.Floats.ToArray(), results[1]!.Floats.ToArray());
        }
        var fused = Eval(fuse: true);
        var unfused = Eval(fuse: false);
        Assert.Equal(unfused.Rounded.Select(BitConverter.SingleToInt32Bits), fused.Rounded.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(unfused.Product.Select(BitConverter.SingleToInt32Bits), fused.Product.Select(BitConverter.SingleToInt32Bits));
    }
}
