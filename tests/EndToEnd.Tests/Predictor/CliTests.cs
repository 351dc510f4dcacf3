using System.Net.Http.Json;
using TfMnist.Predictor.Cli;
using TfMnist.Predictor;

namespace TfMnist.EndToEnd.Predictor;

public class CliTests
{
    private sealed record Run(int ExitCode, string Out, string Err, ModelOptions? Options);

    private static async Task<Run> RunAsync(Func<ModelOptions, IDigitClassifier>? factory, params string[] args)
    {
        ModelOptions? seen = null;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cli = new PredictorCli(o => { seen = o; return (factory ?? (_ => TestData.Classifier))(o); }, stdout, stderr);
        int code = await cli.RunAsync(args, TestContext.Current.CancellationToken);
        return new Run(code, stdout.ToString(), stderr.ToString(), seen);
    }

    private static string TestImages => Path.Combine(TestData.MnistDir, "t10k-images-idx3-ubyte.gz");

    [Fact]
    public async Task Predict_PrintsDigitAndProbabilities_ForImagesGridsAndIdx()
    {
        using var dir = TestData.NewTempDir();
        string png = dir.File("seven.png");
        File.WriteAllBytes(png, GreyCanvas.FromMnist(TestData.TestImages.GetImage(0), 6, 30).ToPng());
        string grid = dir.File("one.txt");
        File.WriteAllText(grid, string.Join("\n", Enumerable.Range(0, 28).Select(r => string.Concat(Enumerable.Range(0, 28).Select(c => c is 13 or 14 && r is > 3 and < 24 ? '#' : '.')))));

        var run = await RunAsync(null, "predict", png, grid, TestImages + "@1", "--model", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        string[] lines = run.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(6, lines.Length);
        Assert.Equal($"{png}: 7", lines[0]);
        Assert.Equal($"{grid}: 1", lines[2]);
        Assert.Equal($"{TestImages}@1: {TestData.Classifier.Predict(TestData.TestImages.GetImage(1)).Digit}", lines[4]);
        var p = TestData.Classifier.Predict(TestData.TestImages.GetImage(1)).Probabilities;
        Assert.Equal("  " + PredictCommand.FormatProbabilities(p), lines[5]);
        Assert.Matches(@"^  0:\d\.\d{4}( \d:\d\.\d{4}){9}$", lines[1]);
    }

    [Fact]
    public async Task Predict_BadFile_IsOneLineOnStderr_Exit1_OthersStillPredicted()
    {
        using var dir = TestData.NewTempDir();
        string missing = dir.File("nope.png");
        var run = await RunAsync(null, "predict", missing, TestImages + "@0", "--model", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {missing}: file not found", run.Err.TrimEnd());
        Assert.StartsWith($"{TestImages}@0: 7", run.Out);
    }

    [Fact]
    public async Task MissingModelDirectory_IsOneClearLine_Exit1()
    {
        var run = await RunAsync(null, "predict", TestImages, "--model", "/nonexistent/model");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: model directory '/nonexistent/model' does not exist (train first with 'dotnet run --project Trainer', or pass --model DIR)", run.Err.TrimEnd());
        Assert.Null(run.Options);
    }

    [Fact]
    public async Task TheRealFactory_OnAFolderWithoutACheckpoint_SaysWhatIsMissing()
    {
        using var dir = TestData.NewTempDir();
        var run = await RunAsync(ClassifierFactory.Create, "predict", TestImages, "--model", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: cannot load the model: No checkpoint in '{dir.Path}'", run.Err.TrimEnd());
        Assert.DoesNotContain("   at ", run.Err);
        var failing = await RunAsync(_ => throw new ModelLoadException("no checkpoint in 'x'"), "eval", "--data-dir", TestData.MnistDir, "--model", dir.Path);
        Assert.Equal(1, failing.ExitCode);
        Assert.Equal("error: cannot load the model: no checkpoint in 'x'", failing.Err.TrimEnd());
    }

    [Fact]
    public async Task ModelOptions_DefaultsAndOverrides_ReachTheFactory()
    {
        using var dir = TestData.NewTempDir();
        var defaults = await RunAsync(null, "predict", TestImages, "--model", dir.Path);
        Assert.Equal(new ModelOptions(dir.Path), defaults.Options! with { ExtraFeeds = null });
        Assert.Equal("input/inputData:0", defaults.Options!.InputTensor);
        Assert.Equal("layerOutput/activation:0", defaults.Options.OutputTensor);
        Assert.Equal("dropout/keep_prob:0", defaults.Options.KeepProbTensor);
        Assert.Empty(defaults.Options.Feeds);

        var custom = await RunAsync(null, "predict", "--input", "x:0", TestImages, "--model", dir.Path, "--output", "y:0",
            "--keep-prob", "kp:0", "--feed", "is_training:0=false", "--feed", "scale:0=0.5");
        Assert.Equal(0, custom.ExitCode);
        var o = custom.Options!;
        Assert.Equal(("x:0", "y:0", "kp:0"), (o.InputTensor, o.OutputTensor, o.KeepProbTensor));
        Assert.Equal([new ScalarFeed("is_training:0", "false", 0), new ScalarFeed("scale:0", "0.5", 0.5)], o.Feeds);

        var bad = await RunAsync(null, "predict", TestImages, "--model", dir.Path, "--feed", "scale:0=lots");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: --feed 'scale:0=lots': 'lots' is not a number or true/false", bad.Err.TrimEnd());
    }

    [Fact]
    public async Task UsageErrors_Exit2_WithoutStackTraces()
    {
        var noFiles = await RunAsync(null, "predict");
        Assert.Equal(2, noFiles.ExitCode);
        Assert.StartsWith("error: ", noFiles.Err);
        var port = await RunAsync(null, "serve", "--port", "99999");
        Assert.Equal(2, port.ExitCode);
        Assert.StartsWith("error: --port 99999 is outside 0..65535", port.Err);
        foreach (var r in new[] { noFiles, port })
            Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public async Task Eval_PrintsConfusionMatrix_AndAccuracyAsTheLastLine()
    {
        using var dir = TestData.NewTempDir();
        var run = await RunAsync(null, "eval", "--data-dir", TestData.MnistDir, "--model", dir.Path);
        Assert.Equal(0, run.ExitCode);

        int correct = Enumerable.Range(0, 10000).Count(i => TestData.Classifier.Predict(TestData.TestImages.GetImage(i)).Digit == TestData.TestLabels[i]);
        string[] lines = run.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal($"accuracy: {correct / 10000.0:0.0000} ({correct}/10000)", lines[^1]);
        Assert.Matches(@"^accuracy: \d\.\d{4} \(\d+/10000\)$", lines[^1]);
        Assert.Contains("confusion matrix", lines[0]);
        // Ten matrix rows whose cells add up to the 10,000 test images.
        int total = lines[2..12].Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..11].Sum(int.Parse));
        Assert.Equal(10000, total);

        var noData = await RunAsync(null, "eval", "--data-dir", dir.Path, "--model", dir.Path);
        Assert.Equal(1, noData.ExitCode);
        Assert.Contains("t10k-images-idx3-ubyte.gz' not found", noData.Err);
    }

    [Fact]
    public async Task Serve_ListensOnTheGivenPort_AndStopsOnCancel()
    {
        using var dir = TestData.NewTempDir();
        var stdout = new StringWriter();
        var output = TextWriter.Synchronized(stdout);
        var cli = new PredictorCli(_ => TestData.Classifier, output, TextWriter.Null);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serving = cli.RunAsync(["serve", "--port", "0", "--model", dir.Path], cts.Token);

        string? url = null;
        for (int i = 0; i < 200 && url is null; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            var m = System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"(http://127\.0\.0\.1:\d+/)ocr\.html");
            if (m.Success) url = m.Groups[1].Value;
        }
        Assert.NotNull(url);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var response = await http.PostAsJsonAsync("api/predict", new { pixels = TestData.TestImages.GetImage(0) }, TestContext.Current.CancellationToken);
        Assert.Equal(7, (await response.Content.ReadFromJsonAsync<PredictReply>(TestContext.Current.CancellationToken))!.Digit);

        await cts.CancelAsync();
        Assert.Equal(0, await serving);
    }

    private sealed record PredictReply(int Digit, float[] Probabilities);
}
