using System.Diagnostics;

namespace TfMnist.EndToEnd.Commands;

/// <summary><c>serve</c> stops on Ctrl+C (SIGINT) and SIGTERM, whatever its stdout is (here: a pipe).</summary>
[Collection(TrainingCollection.Name)]
public class ServeSignalTests(TrainingFixture fixture)
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ServeWithPipedStdoutStopsWithinASecondOfTheSignal(string signal)
    {
        Requirement.Linux("sends signals with kill(1)");
        var (options, _) = fixture.Require();
        using var process = Process.Start(ConsoleProcess.StartInfo("Predictor", "serve", "--port", "0", "--model", options.ModelDir))!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string? banner = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.True(banner is not null && banner.StartsWith("Serving"), $"banner: {banner}; stderr: {(process.HasExited ? await stderr : "")}");

        var clock = Stopwatch.StartNew();
        ConsoleProcess.Signal(process.Id, signal);
        bool stopped = process.WaitForExit(TimeSpan.FromSeconds(1));
        clock.Stop();
        if (!stopped) process.Kill(entireProcessTree: true);
        Assert.True(stopped, $"serve was still running 1 s after SIG{signal}");
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("   at ", await stderr);
    }
}
