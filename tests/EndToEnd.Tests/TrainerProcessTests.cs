using System.Diagnostics;
using TfMnist.Summary;

namespace TfMnist.EndToEnd;

/// <summary>The Trainer as a user runs it: options, Ctrl+C, errors.</summary>
public class TrainerProcessTests
{
    private static ProcessStartInfo Trainer(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Trainer.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        return start;
    }

    [Fact]
    public async Task CtrlCStopsAfterTheStepFlushesLogsAndSavesARestorableCheckpoint()
    {
        string? data = RepoPaths.MnistData();
        if (data is null) Requirement.Missing("MNIST_data is not in the repository.");
        if (!OperatingSystem.IsLinux()) Requirement.Missing("Sends SIGINT with kill(1), which needs Linux.");
        string root = Path.Combine(Path.GetTempPath(), $"tfmnist-sigint-{Guid.NewGuid():N}");
        try
        {
            using var process = Process.Start(Trainer("--data-dir", data, "--steps", "1000000", "--print-every", "50",
                "--log-dir", Path.Combine(root, "eventlog"), "--model-dir", Path.Combine(root, "model")))!;
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("step 100:")) break;
            }
            Assert.Contains(lines, l => l.StartsWith("step 100:"));
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            var rest = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the trainer did not stop after Ctrl+C");
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("Interrupted after", rest);
            Assert.Contains("Model saved", rest);
            Assert.Contains("Stopping", await stderr);

            string model = Path.Combine(root, "model");
            foreach (string name in new[] { "checkpoint", "mnist.index", "mnist.data-00000-of-00001", "mnist.meta" })
                Assert.True(File.Exists(Path.Combine(model, name)), name);
            Assert.Empty(Directory.GetFiles(model, "*.tmp"));
            using var classifier = new TfMnist.Predictor.CheckpointClassifier(new TfMnist.Predictor.ModelOptions(model));
            Assert.Equal(10, classifier.Predict(new float[784]).Probabilities.Length);

            // The logs were flushed: every event file reads to the end with valid CRCs.
            foreach (string file in Directory.GetFiles(Path.Combine(root, "eventlog"), "events.out.tfevents.*", SearchOption.AllDirectories))
                Assert.True(EventFileReader.Read(file).Count() > 1, file);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--log-dir")]
    [InlineData("--model-dir")]
    public void AnUnwritableOutputFolderIsOneClearErrorBeforeTraining(string option)
    {
        string? data = RepoPaths.MnistData();
        if (data is null) Requirement.Missing("MNIST_data is not in the repository.");
        string blocker = Path.GetTempFileName(); // a file where a folder should be
        try
        {
            string other = option == "--log-dir" ? "--model-dir" : "--log-dir";
            using var process = Process.Start(Trainer("--data-dir", data, "--steps", "50", option, Path.Combine(blocker, "sub"),
                other, Path.Combine(Path.GetTempPath(), $"tfmnist-ok-{Guid.NewGuid():N}")))!;
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(1, process.ExitCode);
            Assert.StartsWith("error: ", stderr);
            Assert.Contains(blocker, stderr);
            Assert.DoesNotContain("   at ", stderr);
            Assert.DoesNotContain("step 0:", stdout);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Theory]
    [InlineData("--steps", "-5", "--steps")]
    [InlineData("--keep-prob", "1.5", "--keep-prob")]
    [InlineData("--hidden", "zero", "zero")]
    public void ABadOptionIsReportedByNameAndNothingRuns(string option, string value, string expected)
    {
        using var process = Process.Start(Trainer(option, value, "--data-dir", "/nonexistent"))!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(expected, stderr + stdout);
        Assert.DoesNotContain("Loaded MNIST", stdout);
        Assert.DoesNotContain("   at ", stderr);
    }
}
