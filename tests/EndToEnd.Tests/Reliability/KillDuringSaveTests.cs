namespace TfMnist.EndToEnd.Reliability;

/// <summary>
/// kill -9 of a real Trainer process at each system call of its save (strace injects SIGKILL at
/// the N-th fsync, rename or unlink; the save makes 13 fsyncs and 5 renames, and all of them are
/// the run's): the model folder must always load, as the previous model or the new one.
/// </summary>
public class KillDuringSaveTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    private const string Strace = "/usr/bin/strace";

    public static IEnumerable<(string Syscall, int When)> KillMoments() =>
        Enumerable.Range(1, 13).Select(n => ("fsync", n))
            .Concat(Enumerable.Range(1, 5).Select(n => ("rename", n)))
            // unlink 1-3 are the runtime's and the writability probe's; 4-6 delete the staged set.
            .Concat([("unlink", 4), ("unlink", 5)]);

    [Fact]
    public async Task AKill9AtEveryFsyncRenameAndUnlinkOfTheSaveLeavesAModelThatLoads()
    {
        if (model.DataDir is null) Requirement.Missing("MNIST_data is not in the repository.");
        if (!File.Exists(Strace)) Requirement.Missing($"{Strace} is not installed (apt-get install -y strace).");
        string[] Args(string modelDir, string logDir) =>
            ["--data-dir", model.DataDir, "--steps", "1", "--seed", "2", "--log-dir", logDir, "--model-dir", modelDir];

        var (completeModel, completeLog) = model.Copy("complete");
        var complete = await TrainerProcess.RunAsync(Args(completeModel, completeLog));
        Assert.Equal(0, complete.ExitCode);
        var newValues = TrainerProcess.LoadCurrent(completeModel);
        Assert.False(TrainerProcess.SameValues(newValues, model.Values), "the new run must differ from the old model");

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(KillMoments(), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = TestContext.Current.CancellationToken },
            async (moment, _) =>
            {
                var (modelDir, logDir) = model.Copy($"kill-{moment.Syscall}-{moment.When}");
                string[] strace = [Strace, "-f", "-qq", "-o", "/dev/null", "-e", $"trace={moment.Syscall}",
                    "-e", $"inject={moment.Syscall}:signal=SIGKILL:when={moment.When}"];
                var run = await TrainerProcess.RunAsync(Args(modelDir, logDir), strace);
                string context = $"killed at {moment.Syscall} #{moment.When} (exit {run.ExitCode})";
                Assert.True(run.ExitCode == 128 + 9, $"{context}: the process was not killed\n{run.Stdout}{run.Stderr}");
                Dictionary<string, float[]> loaded;
                try
                {
                    loaded = TrainerProcess.LoadCurrent(modelDir);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"{context}: the model folder does not load: {e.Message}");
                }
                bool old = TrainerProcess.SameValues(loaded, model.Values), fresh = TrainerProcess.SameValues(loaded, newValues);
                Assert.True(old || fresh, $"{context}: the current checkpoint holds neither the old nor the new values");
                outcomes.Add(old ? "old" : "new");
                using var classifier = new TfMnist.Predictor.CheckpointClassifier(new TfMnist.Predictor.ModelOptions(modelDir));
                Assert.Equal(10, classifier.Predict(new float[784]).Probabilities.Length);
            });
        // The kills fall on both sides of the switch to the new checkpoint.
        Assert.Contains("old", outcomes);
        Assert.Contains("new", outcomes);
    }
}
