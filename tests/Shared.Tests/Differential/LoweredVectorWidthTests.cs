using System.Diagnostics;

namespace TfMnist.Tests.Differential;

/// <summary>
/// The differential campaign again in a child process whose runtime has narrower vectors: TensorPrimitives, the
/// histogram and the elementwise kernels pick their width from the hardware the runtime reports, which no in-process
/// switch can lower. The child re-runs this test assembly (an xunit v3 executable) on the campaign method only,
/// with TFMNIST_FUZZ_CHILD_CASES cases (default 100, 0 skips these tests) and the parent's seed.
/// </summary>
[Collection(nameof(DifferentialCollection))]
public class LoweredVectorWidthTests(ITestOutputHelper output)
{
    private const int DefaultChildCases = 100;

    [Theory]
    [InlineData("256-bit", "Vector512 off", "DOTNET_PreferredVectorBitWidth=256", "DOTNET_EnableAVX512F=0")]
    [InlineData("128-bit", "Vector256 off", "DOTNET_PreferredVectorBitWidth=128", "DOTNET_EnableAVX512F=0")]
    [InlineData("no AVX (scalar GEMM tier)", "GEMM best tier Scalar", "DOTNET_EnableAVX=0")]
    public async Task TheCampaignPassesWithNarrowerVectors(string label, string narrower, params string[] environment)
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("TFMNIST_FUZZ_CHILD_CASES"), out int n) ? n : DefaultChildCases;
        Assert.SkipWhen(cases <= 0, "TFMNIST_FUZZ_CHILD_CASES=0");
        string assembly = typeof(LoweredVectorWidthTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[assembly, "-noLogo", "-noColor", "-method", $"{typeof(DifferentialTests).FullName}.{nameof(DifferentialTests.RandomGraphsGiveTheReferenceResultsOnEveryFastConfiguration)}"])
            start.ArgumentList.Add(arg);
        foreach (string pair in environment)
            start.Environment[pair.Split('=')[0]] = pair.Split('=')[1];
        start.Environment["TFMNIST_FUZZ_CASES"] = cases.ToString();
        start.Environment["TFMNIST_FUZZ_SEED"] = Campaign.Seed.ToString();

        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await child.WaitForExitAsync(timeout.Token);
        string text = await stdout + await stderr;
        string summary = text.Split('\n').FirstOrDefault(l => l.Contains("differential: seed", StringComparison.Ordinal))?.Trim() ?? "(no summary line)";
        output.WriteLine($"{label} ({string.Join(" ", environment)}): {summary}");
        Console.Error.WriteLine($"{label} child: {summary}");
        Assert.True(child.ExitCode == 0 && summary.Contains(" 0 failing cases", StringComparison.Ordinal),
            $"{label} child ({string.Join(" ", environment)}) exited {child.ExitCode}:{Environment.NewLine}{text}");
        // The variables must have narrowed something, or this test only repeats the in-process one.
        Assert.Contains(narrower, summary);
    }
}
