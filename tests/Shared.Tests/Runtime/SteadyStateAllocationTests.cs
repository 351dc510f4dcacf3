using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>A steady-state training step (train op, no summaries) allocates nothing on the managed heap.</summary>
public class SteadyStateAllocationTests
{
    [Fact]
    public void ABareTrainingStepAllocatesNothing()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var net = MnistNetwork.Build(new MnistHyperParameters());
        var init = tf.global_variables_initializer();
        graph.Freeze();
        // In order: the parallel scheduler's helper thread is shared with other tests.
        using var session = new Session(graph) { Seed = 1, RunOpsInParallel = false };
        session.Run(init);
        var images = new NDArray(DType.Float, [100, 784], new float[100 * 784]);
        var labels = new NDArray(DType.Float, [100, 10], new float[100 * 10]);
        var rng = new Random(2);
        for (int i = 0; i < images.Size; i++) images.Floats[i] = rng.Next(5) == 0 ? 1 : 0;
        for (int r = 0; r < 100; r++) labels.Floats[r * 10 + r % 10] = 1;
        var train = session.MakeCallable([], [net.InputData, net.InputLabel, net.KeepProb!], [net.TrainStep]);
        NDArray[] values = [images, labels, 0.9f];
        for (int i = 0; i < 20; i++) train.Run(values);
        long perStep = AllocationCount.OnThisThread(() =>
        {
            for (int i = 0; i < 10; i++) train.Run(values);
        }) / 10;
        Assert.Equal(0, perStep);
    }
}
