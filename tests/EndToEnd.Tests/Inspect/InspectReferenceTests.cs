using System.Text.Json;
using TfMnist.Cli;

namespace TfMnist.EndToEnd.Inspect;

/// <summary>
/// <c>inspect</c> on the files real TensorFlow 1.8 and 1.15 wrote (../shared/tf-reference), with
/// the facts its README states: every file reads, the six Variable* tensors of the TF 1.15 bundle,
/// the input/output names the predictor tests use among the graph's candidates.
/// </summary>
public class InspectReferenceTests
{
    [Fact]
    public async Task Checkpoint_Tf115_ListsItsSixVariables_WithShapes_ZerosAndValidCrcs()
    {
        string dir = InspectRun.Reference("checkpoints", "tf1.15-softmax");
        var run = await InspectRun.RunAsync("inspect", "checkpoint", dir, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var tensors = run.Json().GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(["Variable", "Variable_1", "Variable_2", "Variable_3", "Variable_4", "Variable_5"], tensors.Select(t => t.GetProperty("name").GetString()));
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(i % 2 == 0 ? [784L, 10] : [1L, 10], tensors[i].GetProperty("shape").Longs());
            Assert.Equal("float32", tensors[i].GetProperty("dtype").GetString());
            Assert.Equal("ok", tensors[i].GetProperty("crc").GetString());
        }
        // README: Variable and Variable_1 are all zeros; only the third copy was trained.
        foreach (var zero in tensors.Take(2))
            Assert.Equal((0.0, 0.0), (zero.GetProperty("min").GetDouble(), zero.GetProperty("max").GetDouble()));
        Assert.True(tensors[4].GetProperty("std").GetDouble() > 0.01);

        var text = await InspectRun.RunAsync("inspect", "checkpoint", dir);
        Assert.Equal(ExitCodes.Ok, text.Exit);
        Assert.Contains(text.Lines, l => l.StartsWith("Variable_4 ", StringComparison.Ordinal) && l.Contains("[784, 10]") && l.EndsWith(" ok"));
        InspectRun.AssertFitsIn80Columns(text);
    }

    [Fact]
    public async Task CheckpointValues_PrintOneTensor_AndTheirStatisticsAgree()
    {
        string dir = InspectRun.Reference("checkpoints", "tf1.15-softmax");
        var json = (await InspectRun.RunAsync("inspect", "checkpoint", dir, "--tensor", "Variable_5", "--values", "--json")).Json();
        var tensor = Assert.Single(json.GetProperty("tensors").EnumerateArray());
        double[] values = tensor.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(10, values.Length);
        Assert.Equal(values.Min(), tensor.GetProperty("min").GetDouble());
        Assert.Equal(values.Average(), tensor.GetProperty("mean").GetDouble(), 1e-9);

        var text = await InspectRun.RunAsync("inspect", "checkpoint", dir, "--tensor", "Variable_5", "--values");
        Assert.Contains("Variable_5 float32 [1, 10] values:", text.Out);
        var noTensor = await InspectRun.RunAsync("inspect", "checkpoint", dir, "--values");
        Assert.Equal(ExitCodes.InspectTrouble, noTensor.Exit);
        Assert.Contains("--tensor", noTensor.Err);
    }

    [Fact]
    public async Task Checkpoint_WithAFlippedByte_ReportsThatTensorsCrcMismatch_AndListsTheRest()
    {
        string source = InspectRun.Reference("checkpoints", "tf1.15-softmax");
        using var dir = Predictor.TestData.NewTempDir();
        foreach (string file in Directory.GetFiles(source)) File.Copy(file, dir.File(Path.GetFileName(file)));
        string data = dir.File("mnist.data-00000-of-00001");
        byte[] bytes = File.ReadAllBytes(data);
        bytes[^1] ^= 0x01; // the last byte belongs to the last tensor, Variable_5
        File.WriteAllBytes(data, bytes);

        var run = await InspectRun.RunAsync("inspect", "checkpoint", dir.Path, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var crcs = run.Json().GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("crc").GetString());
        Assert.Equal("mismatch", crcs["Variable_5"]);
        Assert.All(crcs.Where(c => c.Key != "Variable_5"), c => Assert.Equal("ok", c.Value));
    }

    [Theory]
    [InlineData("tf1.15-softmax", "Placeholder_4:0", "Softmax_2:0")]
    [InlineData("tf1.8-softmax-cond", "model/x:0", "model/ybar:0")]
    public async Task Graph_ListsTheNamesThePredictorTestsUse_AmongItsCandidates(string checkpoint, string input, string output)
    {
        string dir = InspectRun.Reference("checkpoints", checkpoint);
        var run = await InspectRun.RunAsync("inspect", "graph", dir, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var json = run.Json();
        var placeholder = json.GetProperty("placeholders").EnumerateArray().Single(p => p.GetProperty("tensor").GetString() == input);
        Assert.Equal("float32", placeholder.GetProperty("dtype").GetString());
        Assert.Equal([-1L, 784], placeholder.GetProperty("shape").Longs());
        var candidate = json.GetProperty("outputs").EnumerateArray().Single(c => c.GetProperty("output").GetProperty("tensor").GetString() == output);
        Assert.Contains("softmax", candidate.GetProperty("reasons").Strings());
        Assert.Equal([input], candidate.GetProperty("placeholders").Strings());
        Assert.Equal([-1L, 10], candidate.GetProperty("output").GetProperty("shape").Longs());
        // The saver's and the gradients' nodes are never offered as outputs.
        Assert.DoesNotContain(json.GetProperty("outputs").EnumerateArray(), c =>
            c.GetProperty("output").GetProperty("tensor").GetString()!.Split('/').Any(p => p.StartsWith("save") || p.StartsWith("gradients")));

        var text = await InspectRun.RunAsync("inspect", "graph", dir);
        Assert.Contains(text.Lines, l => l.TrimStart().StartsWith(output + " ", StringComparison.Ordinal) && l.Contains(input));
        InspectRun.AssertFitsIn80Columns(text);
    }

    [Fact]
    public async Task EveryReferenceFile_IsReadByItsInspectCommand()
    {
        string root = InspectRun.Reference();
        foreach (string file in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md")).Order())
        {
            string name = Path.GetFileName(file);
            string[] args = name.Contains("tfevents") ? ["events", file]
                : name.EndsWith(".meta") ? ["graph", file]
                : name == "checkpoint" ? ["checkpoint", Path.GetDirectoryName(file)!]
                : ["checkpoint", Path.Combine(Path.GetDirectoryName(file)!, "mnist")]; // .index and .data: the prefix
            var run = await InspectRun.RunAsync(["inspect", .. args]);
            Assert.True(run.Exit == ExitCodes.Ok, $"inspect {string.Join(' ', args)}: exit {run.Exit}, {run.Err}");
            InspectRun.AssertFitsIn80Columns(run);
        }
    }

    [Fact]
    public async Task Events_Tf18_OneRunOfTwoFiles_WithItsTagsKindsAndSteps()
    {
        string dir = InspectRun.Reference("events", "tf1.8-mnist-graph");
        var run = await InspectRun.RunAsync("inspect", "events", dir, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var only = Assert.Single(run.Json().GetProperty("runs").EnumerateArray());
        var files = only.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal("brain.Event:2", f.GetProperty("file_version").GetString()));
        Assert.All(files, f => Assert.Equal(0, f.GetProperty("truncated_bytes").GetInt64()));
        var tags = only.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("tag").GetString()!);
        Assert.Equal("scalar", tags["layer/weights/summaries/mean"].GetProperty("kind").GetString());
        Assert.Equal("histogram", tags["layer/weights/summaries/histogram"].GetProperty("kind").GetString());
        Assert.Equal("graph", tags["graph_def"].GetProperty("kind").GetString());
        var loss = tags["loss/loss"];
        Assert.Equal(0, loss.GetProperty("first_step").GetInt64());
        var scalar = loss.GetProperty("scalar");
        Assert.InRange(scalar.GetProperty("min").GetDouble(), double.MinValue, scalar.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task Graph_OfABinaryGraphDef_IsTheMetaGraphsGraph_SoTheirDiffIsEqual()
    {
        string meta = Path.Combine(InspectRun.Reference("checkpoints", "tf1.8-softmax-cond"), "mnist.meta");
        using var dir = Predictor.TestData.NewTempDir();
        string pb = dir.File("frozen.pb");
        File.WriteAllBytes(pb, Google.Protobuf.MessageExtensions.ToByteArray(Saving.MetaGraphImporter.ReadFile(meta).GraphDef));

        var graph = await InspectRun.RunAsync("inspect", "graph", pb, "--json");
        Assert.Equal(ExitCodes.Ok, graph.Exit);
        Assert.Contains(graph.Json().GetProperty("outputs").EnumerateArray(), c => c.GetProperty("output").GetProperty("tensor").GetString() == "model/ybar:0");
        var diff = await InspectRun.RunAsync("inspect", "diff", pb, meta, "--json");
        Assert.Equal(ExitCodes.Ok, diff.Exit);
        Assert.Equal("graph", diff.Json().GetProperty("kind").GetString());
        Assert.Equal(323, diff.Json().GetProperty("graph").GetProperty("nodes_b").GetInt32());
    }

    [Fact]
    public async Task DiffOfGraphs_NamesTheOpTypesThatDiffer_ForTheSameName_Exit1()
    {
        // TF 1.15 writes tf.add as AddV2; the same graph from an older TF has Add under the same names.
        string meta = Path.Combine(InspectRun.Reference("checkpoints", "tf1.15-softmax"), "mnist.meta");
        var graph = Saving.MetaGraphImporter.ReadFile(meta).GraphDef;
        foreach (var node in graph.Node.Where(n => n.Op == "AddV2")) node.Op = "Add";
        using var dir = Predictor.TestData.NewTempDir();
        string older = dir.File("older.pb");
        File.WriteAllBytes(older, Google.Protobuf.MessageExtensions.ToByteArray(graph));

        var run = await InspectRun.RunAsync("inspect", "diff", meta, older, "--json");

        Assert.Equal(ExitCodes.Different, run.Exit);
        var changes = run.Json().GetProperty("graph").GetProperty("op_type_changes").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("a").GetString(), c.GetProperty("b").GetString())).ToList();
        Assert.Equal([("add", "AddV2", "Add"), ("add_1", "AddV2", "Add"), ("add_2", "AddV2", "Add")], changes);
        var text = await InspectRun.RunAsync("inspect", "diff", meta, older);
        Assert.Contains("op types that differ (3):", text.Out);
    }

    [Fact]
    public async Task Graph_OfAnEventFile_IsItsGraphDef()
    {
        string file = Directory.GetFiles(InspectRun.Reference("events", "tf1.15-mnist")).Single();
        var run = await InspectRun.RunAsync("inspect", "graph", file, "--json");
        Assert.Equal(ExitCodes.Ok, run.Exit);
        Assert.True(run.Json().GetProperty("nodes").GetInt32() > 10);
        Assert.Equal(file, run.Json().GetProperty("source").GetString());
    }

    [Fact]
    public async Task DiffOfTheTwoReferenceCheckpoints_ListsAdamSlotsAndShapeChanges_Exit1()
    {
        var run = await InspectRun.RunAsync("inspect", "diff",
            InspectRun.Reference("checkpoints", "tf1.15-softmax"), InspectRun.Reference("checkpoints", "tf1.8-softmax-cond"), "--json");

        Assert.Equal(ExitCodes.Different, run.Exit);
        var json = run.Json();
        Assert.Equal("checkpoint", json.GetProperty("kind").GetString());
        Assert.False(json.GetProperty("equal").GetBoolean());
        var diff = json.GetProperty("checkpoint");
        Assert.Contains("model/train_op/beta1_power", diff.GetProperty("tensors").GetProperty("only_in_b").Strings());
        Assert.Contains("Variable_4", diff.GetProperty("tensors").GetProperty("only_in_a").Strings());
        var changed = diff.GetProperty("changed").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Variable_1");
        Assert.Equal([1L, 10], changed.GetProperty("shape_a").Longs());
        Assert.Equal([10L], changed.GetProperty("shape_b").Longs());
    }

    [Fact]
    public async Task DiffOfAFileWithItself_IsEqual_Exit0_AndTwoKinds_IsTrouble_Exit2()
    {
        string meta = Path.Combine(InspectRun.Reference("checkpoints", "tf1.8-softmax-cond"), "mnist.meta");
        var same = await InspectRun.RunAsync("inspect", "diff", meta, meta);
        Assert.Equal(ExitCodes.Ok, same.Exit);
        Assert.Contains("equal in structure", same.Out);

        var mixed = await InspectRun.RunAsync("inspect", "diff", meta, InspectRun.Reference("events", "tf1.15-mnist"));
        Assert.Equal(ExitCodes.InspectTrouble, mixed.Exit);
        Assert.Equal("", mixed.Out);
        Assert.StartsWith("error: cannot compare", Assert.Single(mixed.Err.TrimEnd().Split('\n')));
    }
}
