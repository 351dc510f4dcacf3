using System.Diagnostics;
using TfMnist.Data;
using TfMnist.Predictor;

namespace TfMnist.EndToEnd;

/// <summary>
/// train -> model/ -> a separate Predictor process restores it by tensor name and predicts,
/// at exactly the accuracy the trainer printed.
/// </summary>
[Collection(TrainingCollection.Name)]
public class PredictorProcessTests(TrainingFixture fixture)
{
    [Fact]
    public void PredictorEvalInANewProcessMatchesTheTrainersAccuracy()
    {
        var (options, result) = fixture.Require();
        var (exit, stdout, stderr) = RunPredictor("eval", "--data-dir", options.DataDir, "--model", options.ModelDir);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        int correct = (int)Math.Round(result.FinalAccuracy * 10000);
        Assert.Equal($"accuracy: {correct / 10000.0:F4} ({correct}/10000)", last);
    }

    [Fact]
    public void PredictorNamesTestImagesFromAnIdxFile()
    {
        var (options, _) = fixture.Require();
        string images = Path.Combine(options.DataDir, "t10k-images-idx3-ubyte.gz");
        var labels = IdxReader.ReadLabels(Path.Combine(options.DataDir, "t10k-labels-idx1-ubyte.gz"));
        var args = new List<string> { "predict", "--model", options.ModelDir };
        args.AddRange(Enumerable.Range(0, 20).Select(i => $"{images}@{i}"));
        var (exit, stdout, stderr) = RunPredictor([.. args]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var digits = stdout.Split('\n').Where(l => l.Contains(".gz@") && l.Contains(": ")).Select(l => int.Parse(l[(l.LastIndexOf(": ") + 2)..].Trim())).ToList();
        Assert.Equal(20, digits.Count);
        // The new process gives exactly the in-process restored network's answers...
        using var classifier = new CheckpointClassifier(new ModelOptions(options.ModelDir));
        var test = MnistDataSets.ReadDataSets(options.DataDir, validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => classifier.Predict(test.Image(i)).Digit), digits);
        // ...and they are mostly right (a broken restore would get about 2 of 20).
        Assert.True(digits.Where((d, i) => d == labels[i]).Count() >= 10, string.Join(",", digits));
    }

    [Fact]
    public void InProcessClassifierAgreesWithTheRestoredGraph()
    {
        var (options, _) = fixture.Require();
        using var classifier = new CheckpointClassifier(new ModelOptions(options.ModelDir));
        var test = MnistDataSets.ReadDataSets(options.DataDir, validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;
        var prediction = classifier.Predict(test.Image(0));
        Assert.Equal(10, prediction.Probabilities.Length);
        Assert.Equal(1f, prediction.Probabilities.Sum(), 3);
        Assert.Equal(test.Labels[0], prediction.Digit);
    }

    [Theory]
    [InlineData("tf1.15-softmax", "Placeholder_4:0", "Softmax_2:0", "accuracy: 0.9165 (9165/10000)")]
    [InlineData("tf1.8-softmax-cond", "model/x:0", "model/ybar:0", "accuracy: 0.9222 (9222/10000)")]
    public void PredictorEvaluatesACheckpointThatTensorFlowWrote(string name, string input, string output, string expected)
    {
        string? data = RepoPaths.MnistData();
        if (data is null) Requirement.Missing("MNIST_data is not in the repository.");
        string? model = RepoPaths.TfReference("checkpoints", name);
        if (model is null) Requirement.Missing($"shared/tf-reference/checkpoints/{name} (files written by TensorFlow) is not beside the repository.");
        var (exit, stdout, stderr) = RunPredictor("eval", "--data-dir", data, "--model", model, "--input", input, "--output", output);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(expected, stdout.TrimEnd().Split('\n')[^1]);
    }

    private static (int Exit, string Stdout, string Stderr) RunPredictor(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Predictor.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(true); Assert.Fail("Predictor did not finish in 3 minutes."); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
