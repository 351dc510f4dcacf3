using System.Diagnostics;
using TfMnist.Checkpoint;
using TfMnist.Summary;

namespace TfMnist.EndToEnd.Reliability;

/// <summary>An interrupted run keeps the existing model, a diverging run stops with one line, --resume continues.</summary>
public class InterruptDivergeResumeTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    private static byte[] Files(string modelDir, string prefix) =>
        [.. File.ReadAllBytes(Path.Combine(modelDir, prefix + ".index")), .. File.ReadAllBytes(Path.Combine(modelDir, prefix + ".data-00000-of-00001"))];

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task AnEarlySignalSavesBesideTheModelWhichStaysCurrentAndResumeContinuesTheInterruptedRun(string signal, int exitCode)
    {
        if (model.DataDir is null) Requirement.Missing("MNIST_data is not in the repository.");
        if (!OperatingSystem.IsLinux()) Requirement.Missing("Sends signals with kill(1), which needs Linux.");
        var (modelDir, logDir) = model.Copy($"signal-{signal}");
        byte[] before = Files(modelDir, "mnist");

        using var process = Process.Start(TrainerProcess.StartInfo(["--data-dir", model.DataDir, "--steps", "1000000", "--print-every", "10",
            "--log-dir", logDir, "--model-dir", modelDir]))!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && !line.StartsWith("step 10:")) { }
        TrainerProcess.SendSignal(process, signal);
        string rest = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the trainer did not stop");
        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains($"Stopping (SIG{signal})", await stderr);

        // The trained model is untouched and still current; the interrupted weights sit beside it.
        Assert.Equal(before, Files(modelDir, "mnist"));
        var state = CheckpointState.Read(modelDir)!;
        Assert.Equal("mnist", state.ModelCheckpointPath);
        string side = state.AllModelCheckpointPaths[^1];
        Assert.Matches("^mnist-[0-9]+$", side);
        long stoppedAt = TrainerProcess.GlobalStep(Path.Combine(modelDir, side));
        Assert.Equal($"mnist-{stoppedAt}", side);
        Assert.True(stoppedAt > 10, $"stopped at {stoppedAt}");
        Assert.Contains($"Interrupted run saved to {Path.Combine(modelDir, side)} (global step {stoppedAt}); the current checkpoint is still {Path.Combine(modelDir, "mnist")}, unchanged.", rest);
        Assert.True(TrainerProcess.SameValues(TrainerProcess.LoadCurrent(modelDir), model.Values));

        // --resume continues the interrupted run: from its global step, the logs at the next steps.
        var resumed = await TrainerProcess.RunAsync(["--data-dir", model.DataDir, "--resume", "--steps", "15", "--print-every", "10",
            "--log-dir", logDir, "--model-dir", modelDir]);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"Resuming {Path.Combine(modelDir, side)} at global step {stoppedAt}", resumed.Stdout);
        Assert.Equal("mnist", CheckpointState.Read(modelDir)!.ModelCheckpointPath);
        Assert.Equal(stoppedAt + 15, TrainerProcess.GlobalStep(Path.Combine(modelDir, "mnist")));
        Assert.Contains($"current checkpoint: {Path.Combine(modelDir, "mnist")} (global step {stoppedAt + 15})", resumed.Stdout);
        // Every 10th step is a test-set evaluation (logged under test/), the others train: which of the resumed
        // steps are training steps depends on where the signal landed, so the expected set is computed.
        var trainSteps = EventSteps(Path.Combine(logDir, "train"));
        Assert.True(trainSteps.Count == trainSteps.Distinct().Count(), "a step was logged twice");
        var expected = Enumerable.Range(0, 15).Select(i => stoppedAt + i).Where(s => s % 10 != 0).ToList();
        Assert.Equal(expected, trainSteps.Where(s => s >= stoppedAt).Order());
    }

    /// <summary>The steps of every summary event in the event files of <paramref name="dir"/>.</summary>
    private static List<long> EventSteps(string dir) =>
        Directory.GetFiles(dir, "events.out.tfevents.*").SelectMany(EventFileReader.Read)
            .Where(e => e.WhatCase == Proto.Event.WhatOneofCase.Summary).Select(e => e.Step).ToList();

    [Fact]
    public async Task ResumeStartsAtTheCheckpointsGlobalStepAndLogsTheNextSteps()
    {
        if (model.DataDir is null) Requirement.Missing("MNIST_data is not in the repository.");
        var (modelDir, logDir) = model.Copy("resume");
        Assert.Equal(20, TrainerProcess.GlobalStep(Path.Combine(modelDir, "mnist")));
        var run = await TrainerProcess.RunAsync(["--data-dir", model.DataDir, "--resume", "--steps", "12",
            "--log-dir", logDir, "--model-dir", modelDir]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(32, TrainerProcess.GlobalStep(Path.Combine(modelDir, "mnist")));
        Assert.Equal([20, 30], EventSteps(Path.Combine(logDir, "test")).Distinct().Order());
        Assert.Equal(Enumerable.Range(21, 11).Where(s => s != 30).Select(s => (long)s), EventSteps(Path.Combine(logDir, "train")).Distinct().Order());
        Assert.False(TrainerProcess.SameValues(TrainerProcess.LoadCurrent(modelDir), model.Values));
    }

    [Fact]
    public async Task ResumeWithoutACheckpointIsOneErrorLine()
    {
        if (model.DataDir is null) Requirement.Missing("MNIST_data is not in the repository.");
        string empty = Path.Combine(model.Root, "empty-model");
        var run = await TrainerProcess.RunAsync(["--data-dir", model.DataDir, "--resume", "--steps", "5",
            "--log-dir", Path.Combine(model.Root, "empty-log"), "--model-dir", empty]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: --resume: there is no checkpoint in '{empty}' (no 'checkpoint' file).", run.Stderr.Trim());
    }

    [Fact]
    public async Task ADivergingRunStopsWithOneLineExitCode3AndKeepsTheCheckpoint()
    {
        if (model.DataDir is null) Requirement.Missing("MNIST_data is not in the repository.");
        var (modelDir, logDir) = model.Copy("diverge");
        byte[] before = Files(modelDir, "mnist");
        var stateBefore = File.ReadAllText(Path.Combine(modelDir, "checkpoint"));
        var run = await TrainerProcess.RunAsync(["--data-dir", model.DataDir, "--steps", "50", "--learning-rate", "1e30",
            "--log-dir", logDir, "--model-dir", modelDir]);
        Assert.Equal(3, run.ExitCode);
        string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^error: training diverged at step [0-9]+: the (loss \(loss/total/Mean:0\)|histogram summary [\w/]+) is (NaN|[+-]Infinity); try a smaller --learning-rate \(this run used 1E\+30\)\. The checkpoint was not saved\.$", line);
        Assert.Equal(before, Files(modelDir, "mnist"));
        Assert.Equal(stateBefore, File.ReadAllText(Path.Combine(modelDir, "checkpoint")));
        Assert.Equal(["checkpoint", "mnist.data-00000-of-00001", "mnist.index", "mnist.meta"],
            Directory.GetFiles(modelDir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
    }
}
