using TfMnist.Checkpoint;

namespace TfMnist.Tests.Checkpoint;

public class CheckpointStateTests
{
    [Fact]
    public void FormatsAsTensorFlowDoes()
    {
        var state = new CheckpointState("mnist-20", ["mnist-10", "mnist-20"]);
        Assert.Equal(
            "model_checkpoint_path: \"mnist-20\"\nall_model_checkpoint_paths: \"mnist-10\"\nall_model_checkpoint_paths: \"mnist-20\"\n",
            state.Format());
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b'c\\d", "\"a\\\"b\\'c\\\\d\"")]
    [InlineData("tab\there\nnl", "\"tab\\there\\nnl\"")]
    [InlineData("caf\u00e9", "\"caf\\303\\251\"")]  // UTF-8 bytes as octal, like protobuf's CEscape
    [InlineData("\u0001", "\"\\001\"")]
    public void EscapesAndUnescapesPaths(string path, string literal)
    {
        var state = new CheckpointState(path, [path]);
        Assert.StartsWith($"model_checkpoint_path: {literal}\n", state.Format());
        var parsed = CheckpointState.Parse(state.Format());
        Assert.Equal(path, parsed.ModelCheckpointPath);
        Assert.Equal([path], parsed.AllModelCheckpointPaths);
    }

    [Fact]
    public void ParsesTheGeneralTextFormat()
    {
        const string text = """
            # written by hand
            all_model_checkpoint_paths: 'a\x41\101'  all_model_checkpoint_paths : "b" "c";
            model_checkpoint_path: "/abs/m\?"
            all_model_checkpoint_timestamps: 1.5e9
            last_preserved_timestamp: 1600000000.25
            """;
        var state = CheckpointState.Parse(text);
        Assert.Equal("/abs/m?", state.ModelCheckpointPath);
        Assert.Equal(["aAA", "bc"], state.AllModelCheckpointPaths);
    }

    [Theory]
    [InlineData("model_checkpoint_path \"x\"", "expected ':'")]
    [InlineData("model_checkpoint_path: \"x", "unterminated string")]
    [InlineData("model_checkpoint_path: x", "expected a quoted string")]
    [InlineData("model_checkpoint_path: \"\\q\"", "unknown escape")]
    [InlineData("model_checkpoint_path: \"a\"\nmodel_checkpoint_path: \"b\"", "line 2: model_checkpoint_path is given twice")]
    [InlineData("bogus: \"x\"", "unknown field \"bogus\"")]
    public void MalformedFilesAreReportedWithFileAndLine(string text, string problem)
    {
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointState.Parse(text, "/d/checkpoint"));
        Assert.StartsWith("/d/checkpoint: line ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void WriteThenReadRoundTripsAndLeavesNoTemporaries()
    {
        using var dir = new TempDirectory();
        new CheckpointState("old", ["old"]).Write(dir.Path);
        new CheckpointState("m-2", ["m-1", "m-2"]).Write(dir.Path);
        var state = CheckpointState.Read(dir.Path)!;
        Assert.Equal("m-2", state.ModelCheckpointPath);
        Assert.Equal(["m-1", "m-2"], state.AllModelCheckpointPaths);
        Assert.Equal(["checkpoint"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void LatestCheckpointResolvesRelativeKeepsAbsoluteAndRequiresTheIndex()
    {
        using var dir = new TempDirectory();
        Assert.Null(CheckpointState.LatestCheckpoint(dir.Path));            // no state file

        new CheckpointState("mnist", ["mnist"]).Write(dir.Path);
        Assert.Null(CheckpointState.LatestCheckpoint(dir.Path));            // no mnist.index yet

        var writer = new BundleWriter(dir.File("mnist"));
        writer.Add<float>("v", [1], [1f]);
        writer.Finish();
        Assert.Equal(dir.File("mnist"), CheckpointState.LatestCheckpoint(dir.Path));

        using var other = new TempDirectory();
        new CheckpointState(dir.File("mnist"), [dir.File("mnist")]).Write(other.Path);
        Assert.Equal(dir.File("mnist"), CheckpointState.LatestCheckpoint(other.Path));

        new CheckpointState("", []).Write(other.Path);
        Assert.Null(CheckpointState.LatestCheckpoint(other.Path));
    }
}
