using System.Net.Sockets;
using System.Net;

namespace TfMnist.EndToEnd.Commands;

/// <summary>
/// Every failure of every command is one line on stderr with the exit code of the table in the
/// README (1 error, 2 usage); <c>--verbose</c> adds the stack trace.
/// </summary>
[Collection(TrainingCollection.Name)]
public class OneLineErrorTests(TrainingFixture fixture)
{
    private static void AssertOneLine(ConsoleProcess.Result run, int exitCode, params string[] expected)
    {
        string[] lines = ConsoleProcess.Lines(run.Stderr);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{run.Stderr}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (string part in expected) Assert.Contains(part, lines[0]);
        Assert.Equal(exitCode, run.ExitCode);
    }

    [Fact]
    public void TrainerBatchLargerThanTheTrainingSetIsAUsageError()
    {
        string data = RepoPaths.MnistData() ?? Requirement.Missing<string>("MNIST_data is not in the repository");
        using var dir = new TempFolder();
        var run = ConsoleProcess.Run("Trainer", "--batch", "60000", "--steps", "2", "--data-dir", data,
            "--log-dir", dir.Sub("eventlog"), "--model-dir", dir.Sub("model"));
        AssertOneLine(run, 2, "--batch", "60000", "55000");
        Assert.DoesNotContain("step 0:", run.Stdout);
    }

    [Fact]
    public void TrainerBadOptionValueIsExit2()
    {
        var run = ConsoleProcess.Run("Trainer", "--hidden", "zero");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("zero", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void ServeWithANonNumericPortIsAUsageError()
    {
        var run = ConsoleProcess.Run("Predictor", "serve", "--port", "abc");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("abc", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("Unhandled", run.Stderr);
    }

    [Fact]
    public void ServeOnAPortInUseIsOneLineWithoutKestrelsTrace()
    {
        var (options, _) = fixture.Require();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var run = ConsoleProcess.Run("Predictor", "serve", "--port", port.ToString(), "--model", options.ModelDir);
        AssertOneLine(run, 1, port.ToString(), "in use");
    }

    [Fact]
    public void EvalWithAnOutputThatIsNotTenWideNamesTheTensorAndItsWidth()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "eval", "--data-dir", options.DataDir, "--model", options.ModelDir,
            "--output", "layerHidden1/activation:0");
        AssertOneLine(run, 1, "layerHidden1/activation:0", "100");
        Assert.DoesNotContain("AggregateException", run.Stderr);
    }

    [Fact]
    public void PredictMissingFileIsExit1AndUnknownOptionExit2()
    {
        var (options, _) = fixture.Require();
        AssertOneLine(ConsoleProcess.Run("Predictor", "predict", "/nonexistent/digit.png", "--model", options.ModelDir), 1, "/nonexistent/digit.png");
        var usage = ConsoleProcess.Run("Predictor", "predict");
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("error: ", usage.Stderr);
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "eval", "--verbose", "--data-dir", options.DataDir, "--model", options.ModelDir,
            "--output", "layerHidden1/activation:0");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("   at ", run.Stderr);

        using var dir = new TempFolder();
        string garbage = dir.Sub("garbage-data");
        Directory.CreateDirectory(garbage);
        foreach (string name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.WriteAllText(System.IO.Path.Combine(garbage, name), "<html>not gzip</html>");
        var trainer = ConsoleProcess.Run("Trainer", "--verbose", "--data-dir", garbage, "--steps", "1",
            "--log-dir", dir.Sub("eventlog"), "--model-dir", dir.Sub("model"));
        Assert.NotEqual(0, trainer.ExitCode);
        Assert.StartsWith("error: ", trainer.Stderr);
        Assert.Contains("   at ", trainer.Stderr);
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tfmnist-cli-{Guid.NewGuid():N}");

    public TempFolder() => Directory.CreateDirectory(Path);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
