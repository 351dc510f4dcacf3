using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Saving;
using TfMnist.Tests.Data;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// import_meta_graph + restore of checkpoints written by real TensorFlow, then inference on the
/// MNIST test set by tensor name: the exact accuracies TF's own graphs give.
/// </summary>
[Collection(typeof(RealMnistCollection))]
public class ReferenceMetaGraphTests
{
    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115, "Placeholder_4:0", "Softmax_2:0", 9165)]
    [InlineData(ReferenceCheckpoints.Tf18, "model/x:0", "model/ybar:0", 9222)]
    public void TensorFlowCheckpointRestoresAndPredicts(string name, string input, string output, int expectedCorrect)
    {
        string dir = ReferenceCheckpoints.Directory(name);
        var test = MnistDataSets.ReadDataSets(RepoData.MnistDirOrSkip(), validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;

        var graph = new Graph();
        using var _ = graph.AsDefault();
        var saver = MetaGraphImporter.Import(graph, Path.Combine(dir, "mnist.meta"));
        Assert.NotNull(saver);
        using var session = new Session(graph);
        string? latest = CheckpointState.LatestCheckpoint(dir);
        Assert.NotNull(latest);
        saver.Restore(session, latest);

        var images = new NDArray(DType.Float, [test.NumExamples, 784], test.Images);
        var probabilities = session.Run(output, (graph.GetTensorByName(input), images))!;
        Assert.Equal(new[] { test.NumExamples, 10 }, probabilities.Shape);
        int correct = 0;
        for (int i = 0; i < test.NumExamples; i++)
        {
            var row = probabilities.Floats.Slice(i * 10, 10);
            int argmax = 0;
            for (int k = 1; k < 10; k++) if (row[k] > row[argmax]) argmax = k;
            if (argmax == test.Labels[i]) correct++;
        }
        Assert.Equal(expectedCorrect, correct);
    }

    [Fact]
    public void ControlFlowOpsImportButRunningThemNamesTheOp()
    {
        string dir = ReferenceCheckpoints.Directory(ReferenceCheckpoints.Tf18);
        var graph = new Graph();
        using var _ = graph.AsDefault();
        MetaGraphImporter.Import(graph, Path.Combine(dir, "mnist.meta"));
        var switchOp = graph.Operations.First(op => op.Type == "Switch");
        Assert.Null(switchOp.Definition);
        using var session = new Session(graph);
        var error = Assert.Throws<NotSupportedException>(() => session.Run(switchOp));
        // The first op without a kernel on the path is named: the Switch or one of its inputs.
        var candidates = switchOp.Inputs.Select(t => t.Op).Append(switchOp).Where(op => op.Definition is null);
        Assert.Contains(candidates, op => error.Message.Contains($"'{op.Name}'") && error.Message.Contains($"'{op.Type}'"));
    }

    [Fact]
    public void ImportKeepsNamesThatDifferOnlyInCase()
    {
        string dir = ReferenceCheckpoints.Directory(ReferenceCheckpoints.Tf115);
        var meta = Proto.MetaGraphDef.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "mnist.meta")));
        var graph = new Graph();
        MetaGraphImporter.Import(graph, meta, "mnist.meta");
        Assert.Equal(meta.GraphDef.Node.Count, graph.Operations.Count);
        foreach (var node in meta.GraphDef.Node)
            Assert.Equal(node.Op, graph.GetOperationByName(node.Name).Type);
        Assert.Equal(6, graph.GetCollection<Variable>(GraphKeys.GlobalVariables).Count);
    }
}
