using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>The original network with real data, ready to time its steps the way the Trainer runs them.</summary>
internal sealed class NetworkHarness : IDisposable
{
    public NetworkHarness(string dataDir)
    {
        Data = MnistDataSets.ReadDataSets(dataDir, seed: 1, download: new MnistDownloadOptions { Enabled = false });
        Graph = new Graph();
        using (Graph.AsDefault())
        {
            Net = MnistNetwork.Build(new MnistHyperParameters());
            Init = Variable.GlobalVariablesInitializer(Graph);
        }
        Graph.Freeze();
        Session = new Session(Graph) { Seed = 1, InterOp = ModeFromEnvironment() };
        Session.Run([Init]);
        BatchImages = new NDArray(DType.Float, [100, 784], new float[100 * 784]);
        BatchLabels = new NDArray(DType.Float, [100, 10], new float[100 * 10]);
        var testImages = new NDArray(DType.Float, [Data.Test.NumExamples, 784], Data.Test.Images);
        var testLabels = new NDArray(DType.Float, [Data.Test.NumExamples, 10], Data.Test.LabelsOneHot);
        Tensor[] feeds = [Net.InputData, Net.InputLabel, Net.KeepProb!];
        TrainValues = [BatchImages, BatchLabels, 0.9f];
        TestValues = [testImages, testLabels, 1f];
        TrainWithSummaries = Session.MakeCallable([Net.Merged], feeds, [Net.TrainStep]);
        TrainBare = Session.MakeCallable([], feeds, [Net.TrainStep]);
        TestWithSummaries = Session.MakeCallable([Net.Merged, Net.Accuracy], feeds);
        TestBare = Session.MakeCallable([Net.Accuracy], feeds);
    }

    /// <summary>TFMNIST_SEQUENTIAL=1 forces in-order runs, TFMNIST_PARALLEL=1 the parallel scheduler; else Auto.</summary>
    private static InterOpMode ModeFromEnvironment() =>
        Environment.GetEnvironmentVariable("TFMNIST_SEQUENTIAL") is not null ? InterOpMode.InOrder
        : Environment.GetEnvironmentVariable("TFMNIST_PARALLEL") is not null ? InterOpMode.Parallel
        : InterOpMode.Auto;

    public MnistDataSets Data { get; }
    public Graph Graph { get; }
    public MnistNetwork Net { get; }
    public Operation Init { get; }
    public Session Session { get; }
    public NDArray BatchImages { get; }
    public NDArray BatchLabels { get; }
    /// <summary>The placeholders every step feeds, in the order of <see cref="TrainValues"/> and <see cref="TestValues"/>.</summary>
    public Framework.Tensor[] FeedTensors => [Net.InputData, Net.InputLabel, Net.KeepProb!];
    public NDArray[] TrainValues { get; }
    public NDArray[] TestValues { get; }
    public Callable TrainWithSummaries { get; }
    public Callable TrainBare { get; }
    public Callable TestWithSummaries { get; }
    public Callable TestBare { get; }

    public void NextBatch() => Data.Train.NextBatch(100, BatchImages.Floats, BatchLabels.Floats);

    public void Dispose() => Session.Dispose();
}
