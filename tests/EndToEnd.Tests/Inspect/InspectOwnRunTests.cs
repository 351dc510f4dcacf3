using System.Text.Json;
using TfMnist.Cli;
using TfMnist.EndToEnd.Commands;

namespace TfMnist.EndToEnd.Inspect;

/// <summary>
/// <c>inspect</c> on a run of our own Trainer (the shared short run), and <c>inspect diff</c> of its
/// test log against the TF 1.8 tutorial's log: a different, one-layer network named by TF 1.8.
/// </summary>
[Collection(TrainingCollection.Name)]
public class InspectOwnRunTests(TrainingFixture fixture)
{
    private string LogDir => Path.Combine(fixture.Root, "eventlog");

    [Fact]
    public async Task DiffOfOurTestLog_AgainstTheTf18Log_Exit1_ListsLayersAndTags_AndExplainsTheMeanRename()
    {
        fixture.Require();
        string reference = InspectRun.Reference("events", "tf1.8-mnist-graph");
        var run = await InspectRun.RunAsync("inspect", "diff", Path.Combine(LogDir, "test"), reference, "--json");

        Assert.Equal(ExitCodes.Different, run.Exit);
        var json = run.Json();
        Assert.Equal("events", json.GetProperty("kind").GetString());
        Assert.False(json.GetProperty("equal").GetBoolean());
        var pair = Assert.Single(json.GetProperty("events").GetProperty("runs").EnumerateArray());
        var layers = pair.GetProperty("layers");
        Assert.Superset(new HashSet<string> { "layerHidden1", "layerOutput", "dropout", "input_reshape" }, layers.GetProperty("only_in_a").Strings().ToHashSet());
        Assert.Contains("layer", layers.GetProperty("only_in_b").Strings());
        var tags = pair.GetProperty("tags");
        Assert.Contains("layerHidden1/weights/summaries/mean_1", tags.GetProperty("only_in_a").Strings());
        Assert.Contains("layer/weights/summaries/mean", tags.GetProperty("only_in_b").Strings());
        var mean = tags.GetProperty("naming").EnumerateArray().Single(n => n.GetProperty("a").GetString() == "mean_1");
        Assert.Equal("mean", mean.GetProperty("b").GetString());
        Assert.Equal(4, mean.GetProperty("count").GetInt32()); // weights and biases of both layers
        string reason = mean.GetProperty("reason").GetString()!;
        Assert.Contains("TF <= 1.8", reason);
        Assert.Contains("TF >= 1.9", reason);
        Assert.Contains("'Mean'", reason);
        // stddev_1 is stddev_1 in both: TF 1.8 already uniquified it against its own 'stddev' scope.
        Assert.DoesNotContain(tags.GetProperty("naming").EnumerateArray(), n => n.GetProperty("a").GetString()!.StartsWith("stddev"));

        var text = await InspectRun.RunAsync("inspect", "diff", Path.Combine(LogDir, "test"), reference);
        Assert.Equal(ExitCodes.Different, text.Exit);
        Assert.Contains("'mean_1' in A is 'mean' in B, in 4 of the tags above, e.g.", text.Out);
        InspectRun.AssertFitsIn80Columns(text);
    }

    [Fact]
    public async Task DiffOfOurLogWithItself_IsEqual_ScalarsSideBySide_WithNoGap()
    {
        var (options, _) = fixture.Require();
        var run = await InspectRun.RunAsync("inspect", "diff", LogDir, LogDir, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var runs = run.Json().GetProperty("events").GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["test", "train"], runs.Select(r => r.GetProperty("run_a").GetString()));
        var accuracy = runs[0].GetProperty("scalars").EnumerateArray().Single(s => s.GetProperty("tag_a").GetString() == "accuracy_1");
        Assert.Equal(options.Steps / 10, accuracy.GetProperty("common_steps").GetInt32());
        Assert.Equal(0, accuracy.GetProperty("largest_gap").GetDouble());
        Assert.Equal(options.Steps - 10, accuracy.GetProperty("final_step").GetInt64());
        // The train runs both carry the graph: compared node by node, equal.
        var graph = runs[1].GetProperty("graph");
        Assert.Empty(graph.GetProperty("nodes").GetProperty("only_in_a").EnumerateArray());
        Assert.Equal(graph.GetProperty("nodes_a").GetInt32(), graph.GetProperty("nodes_b").GetInt32());

        var text = await InspectRun.RunAsync("inspect", "diff", LogDir, LogDir);
        Assert.Contains("equal in structure", text.Out);
        // accuracy_1, its common steps, the same final value twice, a largest gap of 0 (first seen at step 0).
        Assert.Contains(text.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^  accuracy_1\s+{options.Steps / 10}\s+(\S+)\s+\1\s+0\s+0$"));
        InspectRun.AssertFitsIn80Columns(text);
    }

    [Fact]
    public async Task Events_OfOurRun_TwoRuns_TagsKindsCountsAndSteps()
    {
        var (options, _) = fixture.Require();
        var run = await InspectRun.RunAsync("inspect", "events", LogDir, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var runs = run.Json().GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("run").GetString()!);
        Assert.Equal(["test", "train"], runs.Keys.Order());
        JsonElement Tag(string r, string tag) => runs[r].GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("tag").GetString() == tag);
        var accuracy = Tag("test", "accuracy_1");
        Assert.Equal("scalar", accuracy.GetProperty("kind").GetString());
        Assert.Equal(options.Steps / 10, accuracy.GetProperty("count").GetInt64());
        Assert.Equal(options.Steps - 10, accuracy.GetProperty("last_step").GetInt64());
        Assert.Equal("graph", Tag("train", "graph_def").GetProperty("kind").GetString());
        Assert.Equal("run_metadata", Tag("train", "step099").GetProperty("kind").GetString());
        Assert.Equal("image", Tag("train", "input_reshape/input/image/0").GetProperty("kind").GetString());
        var file = Assert.Single(runs["train"].GetProperty("files").EnumerateArray());
        Assert.Equal("brain.Event:2", file.GetProperty("file_version").GetString());

        var text = await InspectRun.RunAsync("inspect", "events", LogDir);
        Assert.Contains(text.Lines, l => l.Contains("step099 .. step299 (3 tags)") && l.Contains("run_metadata"));
        InspectRun.AssertFitsIn80Columns(text);
    }

    [Fact]
    public async Task CheckpointAndGraph_OfOurModel_NameItsVariables_AndTheDefaultInputAndOutput()
    {
        var (options, _) = fixture.Require();
        var checkpoint = (await InspectRun.RunAsync("inspect", "checkpoint", options.ModelDir, "--json")).Json();
        var tensors = checkpoint.GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal([784L, 100], tensors["layerHidden1/weights/Variable"].GetProperty("shape").Longs());
        Assert.Equal(options.Steps, tensors["global_step"].GetProperty("max").GetDouble());

        var graph = await InspectRun.RunAsync("inspect", "graph", options.ModelDir, "--json");
        var output = Assert.Single(graph.Json().GetProperty("outputs").EnumerateArray());
        Assert.Equal("layerOutput/activation:0", output.GetProperty("output").GetProperty("tensor").GetString());
        Assert.Contains("input/inputData:0", output.GetProperty("placeholders").Strings());
    }

    [Fact]
    public void DiffAsAProcess_ExitsAsDiffDoes_AndPrintsOneJsonDocument()
    {
        fixture.Require();
        string reference = InspectRun.Reference("events", "tf1.8-mnist-graph");
        var differ = ConsoleProcess.Run("Predictor", "inspect", "diff", Path.Combine(LogDir, "test"), reference, "--json");
        Assert.Equal(1, differ.ExitCode);
        Assert.Equal("", differ.Stderr);
        Assert.Equal("events", JsonDocument.Parse(differ.Stdout).RootElement.GetProperty("kind").GetString());

        var missing = ConsoleProcess.Run("Predictor", "inspect", "diff", LogDir, Path.Combine(fixture.Root, "nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.StartsWith("error: ", Assert.Single(ConsoleProcess.Lines(missing.Stderr)));
    }
}
