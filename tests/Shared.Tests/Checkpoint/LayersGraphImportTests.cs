using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Saving;
using static TfMnist.Tests.Checkpoint.LayersGraphs;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// A tf.layers MNIST training graph of TF 1.x (see <see cref="LayersGraphs"/>) with Adam or Momentum:
/// import_meta_graph, restore every variable including the optimizer's slots, predict by tensor name,
/// run the initializers and one optimizer step of the imported graph.
/// </summary>
public class LayersGraphImportTests
{
    private static Dictionary<string, NDArray> CheckpointValues(string optimizer)
    {
        var values = new Dictionary<string, NDArray>();
        int seed = 10;
        foreach (var (name, shape) in Trainable)
        {
            values[name] = Random(shape, seed++, 0.2);
            foreach (string slot in optimizer == "Adam" ? ["Adam", "Adam_1"] : new[] { "Momentum" })
                values[name + "/" + slot] = Random(shape, seed++, slot == "Adam_1" ? 0.001 : 0.01, positive: slot == "Adam_1");
        }
        if (optimizer == "Adam")
        {
            values["beta1_power"] = MathF.Pow(Beta1, 3);
            values["beta2_power"] = MathF.Pow(Beta2, 3);
        }
        return values;
    }

    private static NDArray Random(int[] shape, int seed, double scale, bool positive = false)
    {
        var rng = new Random(seed);
        var a = NDArray.Zeros(DType.Float, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = (float)(scale * (positive ? rng.NextDouble() : rng.NextDouble() * 2 - 1));
        return a;
    }

    private static (Graph Graph, Session Session, Dictionary<string, NDArray> Values) Restored(TempDirectory dir, string optimizer)
    {
        var (g, saver) = Build(optimizer);
        var values = CheckpointValues(optimizer);
        string prefix = HandBuiltMetaGraph.WriteCheckpoint(dir.Path, g.Build(saver), values);
        var graph = new Graph();
        var restorer = MetaGraphImporter.Import(graph, prefix + ".meta")!;
        var session = new Session(graph);
        restorer.Restore(session, CheckpointState.LatestCheckpoint(dir.Path)!);
        return (graph, session, values);
    }

    /// <summary>softmax(relu(x·W1 + b1)·W2 + b2) in double.</summary>
    private static double[] Expected(NDArray x, IReadOnlyDictionary<string, NDArray> v)
    {
        int rows = x.Shape[0];
        var hidden = new double[rows * Hidden];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < Hidden; j++)
            {
                double s = v["dense/bias"].Floats[j];
                for (int i = 0; i < Pixels; i++) s += (double)x.Floats[r * Pixels + i] * v["dense/kernel"].Floats[i * Hidden + j];
                hidden[r * Hidden + j] = Math.Max(0, s);
            }
        var w2 = new NDArray(DType.Float, [Hidden, Classes], v["dense_1/kernel"].Floats.ToArray());
        var h = new NDArray(DType.Float, [rows, Hidden], hidden.Select(d => (float)d).ToArray());
        return LegacyVariableGraphTests.SoftmaxRegression(h, w2, v["dense_1/bias"]);
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("Momentum")]
    public void LayersGraphRestoresEverySlotAndPredictsByTensorName(string optimizer)
    {
        using var dir = new TempDirectory();
        var (graph, session, values) = Restored(dir, optimizer);
        using var _ = session;
        foreach (var (name, value) in values)
            Assert.Equal(value.Floats.ToArray(), session.Run(name + "/read:0")!.Floats.ToArray());
        Assert.Equal(Trainable.Select(t => t.Name), graph.GetCollection<Variable>(GraphKeys.TrainableVariables).Select(v => v.Name));
        Assert.Equal(values.Count, graph.GetCollection<Variable>(GraphKeys.GlobalVariables).Count);

        var x = LegacyVariableGraphTests.Images(4, 7);
        var probabilities = session.Run("Softmax:0", (graph.GetTensorByName("x:0"), x))!;
        var expected = Expected(x, values);
        Assert.Equal(new[] { 4, Classes }, probabilities.Shape);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - probabilities.Floats[i]) < 1e-5, $"probability {i}: {probabilities.Floats[i]} vs {expected[i]}");
    }

    [Fact]
    public void AdamStepOfTheImportedGraphFollowsTheFormula()
    {
        using var dir = new TempDirectory();
        var (graph, session, values) = Restored(dir, "Adam");
        using var _ = session;
        var feeds = Trainable.Select((t, i) => new FeedItem(graph.GetTensorByName("grad/" + t.Name + ":0"), Random(t.Shape, 100 + i, 1))).ToArray();
        session.Run([graph.GetOperationByName("Adam")], feeds);

        double b1p = values["beta1_power"].Floats[0], b2p = values["beta2_power"].Floats[0];
        double lrT = LearningRate * Math.Sqrt(1 - b2p) / (1 - b1p);
        for (int k = 0; k < Trainable.Length; k++)
        {
            string name = Trainable[k].Name;
            var (w, m, v, g) = (values[name].Floats.ToArray(), values[name + "/Adam"].Floats.ToArray(),
                values[name + "/Adam_1"].Floats.ToArray(), feeds[k].Value.Floats.ToArray());
            var updated = session.Run(name + "/read:0")!.Floats.ToArray();
            for (int i = 0; i < w.Length; i++)
            {
                double mi = Beta1 * (double)m[i] + (1 - Beta1) * (double)g[i];
                double vi = Beta2 * (double)v[i] + (1 - Beta2) * (double)g[i] * g[i];
                double expected = w[i] - lrT * mi / (Math.Sqrt(vi) + Epsilon);
                Assert.True(Math.Abs(expected - updated[i]) <= 1e-6, $"{name}[{i}]: {updated[i]} vs {expected}");
            }
        }
        // Adam/Assign and Adam/Assign_1 advance the powers after the updates.
        Assert.Equal((float)(b1p * Beta1), session.Run("beta1_power/read:0")!.Floats[0], 6);
        Assert.Equal((float)(b2p * Beta2), session.Run("beta2_power/read:0")!.Floats[0], 6);
    }

    [Fact]
    public void MomentumStepOfTheImportedGraphFollowsTheFormula()
    {
        using var dir = new TempDirectory();
        var (graph, session, values) = Restored(dir, "Momentum");
        using var _ = session;
        var feeds = Trainable.Select((t, i) => new FeedItem(graph.GetTensorByName("grad/" + t.Name + ":0"), Random(t.Shape, 100 + i, 1))).ToArray();
        session.Run([graph.GetOperationByName("Momentum")], feeds);
        for (int k = 0; k < Trainable.Length; k++)
        {
            string name = Trainable[k].Name;
            var (w, a, g) = (values[name].Floats.ToArray(), values[name + "/Momentum"].Floats.ToArray(), feeds[k].Value.Floats.ToArray());
            var updated = session.Run(name + "/read:0")!.Floats.ToArray();
            for (int i = 0; i < w.Length; i++)
            {
                double expected = w[i] - LearningRate * ((double)a[i] * Momentum + g[i]);
                Assert.True(Math.Abs(expected - updated[i]) <= 1e-6, $"{name}[{i}]: {updated[i]} vs {expected}");
            }
        }
    }

    [Fact]
    public void InitializersOfTheImportedGraphRun()
    {
        var (g, saver) = Build("Adam");
        var graph = new Graph();
        MetaGraphImporter.Import(graph, g.Build(saver), "layers.meta");
        using var session = new Session(graph);
        session.Run(graph.GetCollection<Variable>(GraphKeys.GlobalVariables).Select(v => (Fetch)v.Initializer).ToArray());
        float limit = MathF.Sqrt(6f / (Pixels + Hidden));
        var kernel = session.Run("dense/kernel/read:0")!.Floats.ToArray();
        Assert.All(kernel, v => Assert.InRange(v, -limit, limit));
        Assert.True(kernel.Distinct().Count() > kernel.Length / 2);
        // truncated_normal_initializer(stddev=0.1): nothing beyond two standard deviations.
        var truncated = session.Run("dense_1/kernel/read:0")!.Floats.ToArray();
        Assert.All(truncated, v => Assert.InRange(v, -0.2f, 0.2f));
        Assert.Contains(truncated, v => Math.Abs(v) > 0.1f);
        Assert.All(session.Run("dense/kernel/Adam/read:0")!.Floats.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(Beta2, session.Run("beta2_power/read:0")!.Floats[0]);
    }

    [Fact]
    public void AnOpTheEngineLacksImportsAndFailsOnlyWhenFetchedNamingItself()
    {
        using var dir = new TempDirectory();
        var (graph, session, _) = Restored(dir, "Adam");
        using var __ = session;
        var l2 = graph.GetOperationByName("l2_regularizer/L2Loss");
        Assert.Null(l2.Definition);
        session.Run("Softmax:0", (graph.GetTensorByName("x:0"), LegacyVariableGraphTests.Images(1, 1)));
        var error = Assert.Throws<NotSupportedException>(() => session.Run("l2_regularizer/L2Loss:0"));
        Assert.Contains("'l2_regularizer/L2Loss'", error.Message);
        Assert.Contains("'L2Loss'", error.Message);
    }
}
