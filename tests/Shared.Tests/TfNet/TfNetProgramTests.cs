using TfMnist.Checkpoint;
using TfMnist.Tests.Checkpoint;
using TfMnist.Tests.Data;
using TfNetPrograms;

namespace TfMnist.Tests.TfNet;

/// <summary>
/// Programs written in TensorFlow.NET's graph-mode style (tests/TfNetPrograms compiles them with
/// only TensorFlow.NET's using lines) train on the engine and reach their accuracy.
/// </summary>
public sealed class TfNetProgramTests
{
    [Fact]
    public void XorLearnsTheTableAndCountsItsGlobalStep()
    {
        var (loss, predictions, globalStep) = new XorNetwork { Steps = 2000 }.Run();
        Assert.True(loss < 0.1f, $"final loss {loss}");
        Assert.Equal([0, 1, 1, 0], predictions);
        Assert.Equal(2000, globalStep);
    }

    [Fact]
    public async Task LogisticRegressionReachesNinetyPercentInOneEpoch()
    {
        var (cost, accuracy) = await new LogisticRegression(RepoData.MnistDirOrSkip()).RunAsync();
        Assert.True(accuracy > 0.9f, $"test accuracy {accuracy}");
        Assert.True(cost is > 0f and < 0.5f, $"average cost {cost}");
    }

    [Fact]
    public void TheTutorialNetworkTrainsLogsAndSaves()
    {
        using var dir = new TempDirectory();
        var (accuracy, checkpoint) = new TutorialNetwork(RepoData.MnistDirOrSkip(), dir.Path) { Steps = 2500 }.Run();
        Assert.True(accuracy > 0.9f, $"test accuracy {accuracy}");
        Assert.EndsWith("mnist-2500", checkpoint);
        Assert.Equal(checkpoint, CheckpointState.LatestCheckpoint(Path.Combine(dir.Path, "model")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "train"), "events.out.tfevents.*"));
    }

    [Fact]
    public void AnMlpWithGetVariableAndAdamReachesNinetyFivePercentAndSavesTheAdamSlots()
    {
        using var dir = new TempDirectory();
        string prefix = Path.Combine(dir.Path, "mlp");
        var (validation, testLoss, testAccuracy, globalStep) = new MlpWithAdam(RepoData.MnistDirOrSkip()) { Epochs = 1, LearningRate = 0.003f }.Run(prefix);
        Assert.True(validation > 0.95f, $"validation accuracy {validation}");
        Assert.True(testAccuracy > 0.95f, $"test accuracy {testAccuracy}");
        Assert.True(testLoss < 0.2f, $"test loss {testLoss}");
        Assert.Equal(550, globalStep);
        var bundle = BundleReader.Open(prefix);
        foreach (string key in (string[])["FC1/W", "FC1/W/Adam", "FC1/W/Adam_1", "FC1/b", "OUT/W/Adam", "OUT/b/Adam_1", "beta1_power", "beta2_power", "global_step"])
            Assert.True(bundle.Contains(key), $"the checkpoint lacks {key}");
        Assert.Equal(550L, bundle.ReadInt64s("global_step")[0]);
    }
}
