using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Saving;

namespace TfMnist.Tests.Checkpoint;

public class SaverTests
{
    private static (Graph Graph, Variable W, Variable B, Tensor X, Tensor Y) BuildModel()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        Tensor x, y;
        Variable w, b;
        using (tf.name_scope("layer"))
        {
            x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
            w = tf.Variable(tf.random_normal([3, 2], stddev: 1f));
            b = tf.Variable(tf.constant(0.5f, shape: [2]));
            y = tf.identity(tf.matmul(x, w.Value) + (Tensorflow.Tensor)b.Value, name: "y");
        }
        return (graph, w, b, x, y);
    }

    [Fact]
    public void SaveBuildsTheSaveNodesAndSaverDefAsTf1()
    {
        var (graph, _, _, _, _) = BuildModel();
        using var _ = graph.AsDefault();
        Saver saver = tf.train.Saver();
        Assert.Equal("save/Const:0", saver.SaverDef.FilenameTensorName);
        Assert.Equal("save/control_dependency:0", saver.SaverDef.SaveTensorName);
        Assert.Equal("save/restore_all", saver.SaverDef.RestoreOpName);
        Assert.Equal(Proto.SaverDef.Types.CheckpointFormatVersion.V2, saver.SaverDef.Version);
        Assert.Equal("SaveV2", graph.GetOperationByName("save/SaveV2").Type);
        Assert.Equal("RestoreV2", graph.GetOperationByName("save/RestoreV2").Type);
        Assert.Equal("Assign", graph.GetOperationByName("save/Assign").Type);
        Assert.Equal("Assign", graph.GetOperationByName("save/Assign_1").Type);
        Assert.Equal(2, graph.GetOperationByName("save/restore_all").ControlInputs.Count);
    }

    [Fact]
    public void SavedModelRestoresInAFreshGraphByTensorNameWithIdenticalOutputs()
    {
        using var dir = new TempDirectory();
        string prefix = Path.Combine(dir.Path, "model", "mnist");
        var input = new NDArray(DType.Float, [2, 3], new float[] { 1, 2, 3, -1, 0.5f, 4 });
        NDArray expected;
        {
            var (graph, _, _, x, y) = BuildModel();
            using var _ = graph.AsDefault();
            Saver saver = tf.train.Saver();
            using var session = new Session(graph);
            session.Run(tf.global_variables_initializer());
            expected = session.Run(y, (x, input))!;
            Assert.Equal(prefix, saver.Save(session, prefix));
        }
        foreach (string suffix in new[] { ".index", ".data-00000-of-00001", ".meta" })
            Assert.True(File.Exists(prefix + suffix), suffix);
        Assert.Contains("model_checkpoint_path: \"mnist\"", File.ReadAllText(Path.Combine(dir.Path, "model", "checkpoint")));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "model"), "*.tmp"));

        var fresh = new Graph();
        using (fresh.AsDefault())
        {
            Saver saver = tf.train.import_meta_graph(prefix + ".meta")!;
            using var session = new Session(fresh);
            saver.Restore(session, tf.train.latest_checkpoint(Path.Combine(dir.Path, "model"))!);
            var actual = session.Run("layer/y:0", (fresh.GetTensorByName("layer/x:0"), input))!;
            Assert.Equal(expected.Floats.ToArray(), actual.Floats.ToArray());
            Assert.Equal(2, fresh.GetCollection<Variable>(GraphKeys.TrainableVariables).Count);
        }
    }

    /// <summary>The model, initialized and saved at <paramref name="prefix"/>; returns its saver and session.</summary>
    private static (Saver Saver, Session Session) SaveFreshModel(string prefix)
    {
        var (graph, _, _, _, _) = BuildModel();
        using var _ = graph.AsDefault();
        Saver saver = tf.train.Saver();
        var session = new Session(graph);
        session.Run(tf.global_variables_initializer());
        saver.Save(session, prefix);
        return (saver, session);
    }

    [Fact]
    public void RestoringACorruptedCheckpointNamesTheTensor()
    {
        using var dir = new TempDirectory();
        string prefix = Path.Combine(dir.Path, "m");
        var (saver, session) = SaveFreshModel(prefix);
        using var _ = session;
        var data = File.ReadAllBytes(prefix + ".data-00000-of-00001");
        data[^1] ^= 0x40; // the last bytes belong to the last tensor in name order
        File.WriteAllBytes(prefix + ".data-00000-of-00001", data);
        var error = Assert.ThrowsAny<Exception>(() => saver.Restore(session, prefix));
        Assert.Contains("layer/Variable_1", error.Message);
    }

    [Fact]
    public void RestoringIntoAMismatchedShapeNamesTheVariable()
    {
        using var dir = new TempDirectory();
        string prefix = Path.Combine(dir.Path, "m");
        SaveFreshModel(prefix).Session.Dispose();
        var other = new Graph();
        using (other.AsDefault())
        {
            using (tf.name_scope("layer"))
            {
                tf.Variable(tf.random_normal([4, 2]));
                tf.Variable(tf.constant(0.5f, shape: [2]));
            }
            Saver saver = tf.train.Saver();
            using var session = new Session(other);
            var error = Assert.ThrowsAny<Exception>(() => saver.Restore(session, prefix));
            Assert.Contains("layer/Variable", error.Message);
        }
    }
}
