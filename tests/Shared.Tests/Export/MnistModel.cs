using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Export;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Ops;
using TfMnist.Proto.Onnx;
using TfMnist.Runtime;

namespace TfMnist.Tests.Export;

/// <summary>
/// nn_train.py's network in a session: initialized, and optionally trained for a few hundred steps on the
/// real MNIST (dropout at keep_prob 0.9, as the Trainer does), then exported the way the Predictor does:
/// input/inputData:0 to layerOutput/activation:0 with keep_prob fed 1.
/// </summary>
internal sealed class MnistModel : IDisposable
{
    public MnistModel(MnistDataSets? trainOn = null, int steps = 0)
    {
        Graph = new Graph();
        Operation init;
        using (Graph.AsDefault())
        {
            Net = MnistNetwork.Build(new MnistHyperParameters());
            init = Variable.GlobalVariablesInitializer(Graph);
        }
        Graph.Freeze();
        Session = new Session(Graph) { Seed = 7 };
        Session.Run([init]);
        if (trainOn is null) return;
        var images = new NDArray(DType.Float, [100, 784], new float[100 * 784]);
        var labels = new NDArray(DType.Float, [100, 10], new float[100 * 10]);
        for (int step = 0; step < steps; step++)
        {
            trainOn.Train.NextBatch(100, images.Floats, labels.Floats);
            Session.Run([Net.TrainStep], (Net.InputData, images), (Net.InputLabel, labels), (Net.KeepProb!, 0.9f));
        }
    }

    public Graph Graph { get; }
    public MnistNetwork Net { get; }
    public Session Session { get; }

    /// <summary>What the Predictor feeds besides the image: keep_prob 1.</summary>
    public FeedItem[] ConstantFeeds => [(Net.KeepProb!, 1f)];

    public ModelProto Export() => OnnxExporter.Export(Session, Net.InputData, Net.Logits, ConstantFeeds);

    /// <summary>Our Session's logits for <paramref name="rows"/> images.</summary>
    public float[] Logits(float[] images, int rows) =>
        Session.Run(Net.Logits, (Net.InputData, new NDArray(DType.Float, [rows, 784], images)), ConstantFeeds[0])!.Floats.ToArray();

    public void Dispose() => Session.Dispose();
}
