using System.Text.Json;
using TfMnist.Predictor.Cli;

namespace TfMnist.EndToEnd.Predictor;

/// <summary><c>predict --json</c> and <c>eval --json</c>: one JSON document on stdout, the same answers as the text.</summary>
public class JsonOutputTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cli = new PredictorCli(_ => TestData.Classifier, stdout, stderr);
        int exit = await cli.RunAsync(args, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string TestImages => Path.Combine(TestData.MnistDir, "t10k-images-idx3-ubyte.gz");

    [Fact]
    public async Task Predict_Json_HasEachFilesDigitAndTenProbabilities_ErrorsStayOnStderr()
    {
        using var dir = TestData.NewTempDir();
        string missing = dir.File("nope.png");
        var (exit, stdout, stderr) = await RunAsync("predict", TestImages + "@0", missing, TestImages + "@1", "--json", "--model", dir.Path);

        Assert.Equal(1, exit); // one file could not be read, as without --json
        Assert.Equal($"error: {missing}: file not found", stderr.TrimEnd());
        var predictions = JsonDocument.Parse(stdout).RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal([TestImages + "@0", TestImages + "@1"], predictions.Select(p => p.GetProperty("file").GetString()));
        var expected = TestData.Classifier.Predict(TestData.TestImages.GetImage(1));
        Assert.Equal(expected.Digit, predictions[1].GetProperty("digit").GetInt32());
        float[] probabilities = predictions[1].GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
        Assert.Equal(expected.Probabilities, probabilities);
    }

    [Fact]
    public async Task Eval_Json_HasAccuracyCountsAndTheConfusionMatrix_AsTheTextDoes()
    {
        using var dir = TestData.NewTempDir();
        var (exit, stdout, _) = await RunAsync("eval", "--data-dir", TestData.MnistDir, "--model", dir.Path, "--json");
        var text = await RunAsync("eval", "--data-dir", TestData.MnistDir, "--model", dir.Path);

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout).RootElement;
        int correct = json.GetProperty("correct").GetInt32();
        Assert.Equal(10000, json.GetProperty("total").GetInt32());
        Assert.Equal(correct / 10000.0, json.GetProperty("accuracy").GetDouble());
        var rows = json.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(10, rows.Length);
        Assert.Equal(10000, rows.Sum(r => r.Sum()));
        Assert.Equal(correct, Enumerable.Range(0, 10).Sum(i => rows[i][i]));
        Assert.EndsWith($"({correct}/10000)", text.Out.TrimEnd());
    }
}
