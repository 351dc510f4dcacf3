using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>Running independent ops at once changes nothing but the time it takes.</summary>
public class ParallelRunTests
{
    private static (float[] Weights, byte[] Summary) Train(bool parallel)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var net = MnistNetwork.Build(new MnistHyperParameters());
        var init = tf.global_variables_initializer();
        var weights = graph.GetTensorByName("layerHidden1/weights/Variable:0");
        using var session = new Session(graph) { Seed = 3, InterOp = parallel ? InterOpMode.Parallel : InterOpMode.InOrder };
        session.Run(init);
        var rng = new Random(5);
        var images = new float[100 * 784];
        var labels = new float[100 * 10];
        byte[] summary = [];
        for (int step = 0; step < 20; step++)
        {
            for (int i = 0; i < images.Length; i++) images[i] = rng.Next(5) == 0 ? 1f : 0f;
            Array.Clear(labels);
            for (int r = 0; r < 100; r++) labels[r * 10 + rng.Next(10)] = 1f;
            var results = session.Run([net.Merged, net.TrainStep],
                (net.InputData, new NDArray(DType.Float, [100, 784], images)),
                (net.InputLabel, new NDArray(DType.Float, [100, 10], labels)),
                (net.KeepProb!, 0.9f));
            summary = results[0]!.Strings[0];
        }
        return (session.Run(weights)!.Floats.ToArray(), summary);
    }

    [Fact]
    public void TrainingGivesBitIdenticalWeightsAndSummariesInParallelAndInOrder()
    {
        var sequential = Train(parallel: false);
        var parallel = Train(parallel: true);
        Assert.Equal(sequential.Weights, parallel.Weights);
        // Summaries of the weights read them before the update in both modes, so even the
        // histograms agree (wall time is not part of a Summary).
        Assert.Equal(sequential.Summary, parallel.Summary);
    }

    [Fact]
    public void AFailingOpInAParallelRunThrowsItsErrorAndTheSessionStaysUsable()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var branches = Enumerable.Range(0, 12).Select(i => tf.square(x + tf.constant((float)i))).ToList();
        var total = tf.add_n([.. branches]);
        var bad = tf.reshape(total, [3, 3]);
        using var session = new Session(graph) { InterOp = InterOpMode.Parallel };
        var error = Assert.ThrowsAny<Exception>(() => session.Run(bad, (x, new[] { 1f, 2f })));
        Assert.Contains("Reshape", error.Message);
        Assert.Equal(2, session.Run(total, (x, new[] { 1f, 2f }))!.Size);
    }
}
