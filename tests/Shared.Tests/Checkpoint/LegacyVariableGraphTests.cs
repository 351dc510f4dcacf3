using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Saving;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// A softmax-regression checkpoint laid out as TensorFlow 0.12 writes it: legacy "Variable" ops
/// (VariableV2 came with 1.0), tf.zeros as plain Consts, VariableDefs without initial_value_name
/// or trainable (fields added later), GraphDef producer 21, and 0.12's default V2 Saver: SaveV2,
/// then one RestoreV2 per variable. import_meta_graph + restore + predict by tensor name.
/// </summary>
public class LegacyVariableGraphTests
{
    private const int Pixels = 784, Classes = 10;

    private static HandBuiltMetaGraph Tf012Graph()
    {
        var g = new HandBuiltMetaGraph(producer: 21, tensorflowVersion: "0.12.1");
        g.Placeholder("Placeholder", new Shape(-1, Pixels));
        g.Const("zeros", NDArray.Zeros(DType.Float, Pixels, Classes));
        g.Variable("Variable", "Variable", new Shape(Pixels, Classes), "zeros", writeInitialValueName: false, writeTrainable: false);
        g.Const("zeros_1", NDArray.Zeros(DType.Float, Classes));
        g.Variable("Variable", "Variable_1", new Shape(Classes), "zeros_1", writeInitialValueName: false, writeTrainable: false);
        g.Node("MatMul", "MatMul", ["Placeholder", "Variable/read"], HandBuiltMetaGraph.T,
            ("transpose_a", Attr.Bool(false)), ("transpose_b", Attr.Bool(false)));
        g.Node("add", "Add", ["MatMul", "Variable_1/read"], HandBuiltMetaGraph.T);
        g.Node("Softmax", "Softmax", ["add"], HandBuiltMetaGraph.T);
        return g;
    }

    internal static NDArray Weights(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var w = NDArray.Zeros(DType.Float, rows, cols);
        for (int i = 0; i < w.Size; i++) w.Floats[i] = (float)(rng.NextDouble() - 0.5);
        return w;
    }

    internal static NDArray Vector(int n, int seed)
    {
        var rng = new Random(seed);
        var b = NDArray.Zeros(DType.Float, n);
        for (int i = 0; i < n; i++) b.Floats[i] = (float)(rng.NextDouble() - 0.5);
        return b;
    }

    internal static NDArray Images(int count, int seed)
    {
        var rng = new Random(seed);
        var x = NDArray.Zeros(DType.Float, count, Pixels);
        for (int i = 0; i < x.Size; i++) x.Floats[i] = rng.Next(4) == 0 ? (float)rng.NextDouble() : 0f;
        return x;
    }

    /// <summary>softmax(x·W + b) per row, in double.</summary>
    internal static double[] SoftmaxRegression(NDArray x, NDArray w, NDArray b)
    {
        int rows = x.Shape[0], k = w.Shape[0], n = w.Shape[1];
        var result = new double[rows * n];
        for (int r = 0; r < rows; r++)
        {
            var logits = new double[n];
            for (int j = 0; j < n; j++)
            {
                double s = b.Floats[j];
                for (int i = 0; i < k; i++) s += (double)x.Floats[r * k + i] * w.Floats[i * n + j];
                logits[j] = s;
            }
            double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
            for (int j = 0; j < n; j++) result[r * n + j] = Math.Exp(logits[j] - max) / sum;
        }
        return result;
    }

    [Fact]
    public void Tf012CheckpointRestoresAndPredictsByTensorName()
    {
        using var dir = new TempDirectory();
        var g = Tf012Graph();
        var meta = g.Build(g.SaverWithOneRestorePerVariable());
        var w = Weights(Pixels, Classes, 1);
        var b = Vector(Classes, 2);
        string prefix = HandBuiltMetaGraph.WriteCheckpoint(dir.Path, meta, new Dictionary<string, NDArray> { ["Variable"] = w, ["Variable_1"] = b });

        var graph = new Graph();
        using var _ = graph.AsDefault();
        var saver = MetaGraphImporter.Import(graph, prefix + ".meta");
        Assert.NotNull(saver);
        Assert.Equal("Variable", graph.GetOperationByName("Variable").Type);
        Assert.True(graph.GetTensorByName("Variable:0").IsRef);
        using var session = new Session(graph);
        Assert.Equal(prefix, CheckpointState.LatestCheckpoint(dir.Path));
        saver.Restore(session, prefix);

        var x = Images(5, 3);
        var probabilities = session.Run("Softmax:0", (graph.GetTensorByName("Placeholder:0"), x))!;
        Assert.Equal(new[] { 5, Classes }, probabilities.Shape);
        var expected = SoftmaxRegression(x, w, b);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - probabilities.Floats[i]) < 1e-5, $"probability {i}: {probabilities.Floats[i]} vs {expected[i]}");
        // The restored values are the checkpoint's, bit for bit.
        Assert.Equal(w.Floats.ToArray(), session.Run("Variable/read:0")!.Floats.ToArray());
    }

    [Fact]
    public void Tf012VariablesInTheTrainableCollectionAreTrainable()
    {
        // 0.12's VariableDef has no trainable field: membership of "trainable_variables" is what says so.
        var g = Tf012Graph();
        var graph = new Graph();
        MetaGraphImporter.Import(graph, g.Build(g.SaverWithOneRestorePerVariable()), "tf0.12.meta");
        var variables = graph.GetCollection<Variable>(GraphKeys.GlobalVariables);
        Assert.Equal(["Variable", "Variable_1"], variables.Select(v => v.Name).ToArray());
        Assert.All(variables, v => Assert.True(v.Trainable, v.Name));
        Assert.Equal(variables, graph.GetCollection<Variable>(GraphKeys.TrainableVariables));
    }

    [Fact]
    public void Tf012InitializerRunsOnTheLegacyVariable()
    {
        var g = Tf012Graph();
        var graph = new Graph();
        MetaGraphImporter.Import(graph, g.Build(g.SaverWithOneRestorePerVariable()), "tf0.12.meta");
        using var session = new Session(graph);
        var uninitialized = Assert.ThrowsAny<Exception>(() => session.Run("Variable/read:0"));
        Assert.Contains("uninitialized value Variable", uninitialized.Message);
        session.Run(graph.GetOperationByName("Variable/Assign"));
        Assert.All(session.Run("Variable/read:0")!.Floats.ToArray(), v => Assert.Equal(0f, v));
    }
}
