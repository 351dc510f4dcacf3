using TfMnist.Checkpoint;

namespace TfMnist.Tests.Checkpoint;

/// <summary>The checkpoint state files TensorFlow 1.15 and 1.8 wrote.</summary>
public class ReferenceStateTests
{
    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115)]
    [InlineData(ReferenceCheckpoints.Tf18)]
    public void ParsesAndFormatsByteIdentically(string name)
    {
        string dir = ReferenceCheckpoints.Directory(name);
        var state = CheckpointState.Read(dir)!;
        Assert.Equal("mnist", state.ModelCheckpointPath);
        Assert.Equal(["mnist"], state.AllModelCheckpointPaths);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "checkpoint")), state.Format());
    }

    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115)]
    [InlineData(ReferenceCheckpoints.Tf18)]
    public void LatestCheckpointIsTheMnistPrefix(string name)
    {
        string dir = ReferenceCheckpoints.Directory(name);
        Assert.Equal(Path.Combine(dir, "mnist"), CheckpointState.LatestCheckpoint(dir));
    }
}
