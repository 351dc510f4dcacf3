using Microsoft.ML.OnnxRuntime;
using TfMnist.Data;
using TfMnist.Predictor;

namespace TfMnist.EndToEnd.Commands;

/// <summary>
/// <c>Predictor export --onnx FILE</c> and <c>Trainer --export-onnx FILE</c> as a user runs them: the file
/// ONNX Runtime loads and runs like our classifier, exit codes 0/1/2, one line naming the node and op type
/// for what has no mapping, and no file written then.
/// </summary>
[Collection(TrainingCollection.Name)]
public class OnnxExportCommandTests(TrainingFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tfmnist-onnx-cli-").FullName;

    [Fact]
    public void ExportWritesAModelThatOnnxRuntimeRunsLikeOurClassifier()
    {
        var (options, _) = fixture.Require();
        string file = Path.Combine(_dir, "mnist.onnx");
        var run = ConsoleProcess.Run("Predictor", "export", "--model", options.ModelDir, "--onnx", file);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        Assert.Equal($"wrote {file}: opset 11, IR 6, 'input/inputData:0' [batch,784] -> 'layerOutput/activation:0' [batch,10], " +
                     "7 nodes (Round MatMul Add Relu MatMul Add Identity), 4 initializers", run.Stdout.Trim());

        using var ort = new InferenceSession(file);
        using var runOptions = new RunOptions();
        using var classifier = new CheckpointClassifier(new ModelOptions(options.ModelDir));
        var test = MnistDataSets.ReadDataSets(options.DataDir, validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;
        for (int i = 0; i < 20; i++)
        {
            float[] pixels = test.Image(i).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 784]);
            using var output = ort.Run(runOptions, ["input/inputData:0"], [input], ["layerOutput/activation:0"]);
            var logits = output[0].GetTensorDataAsSpan<float>().ToArray();
            var ours = classifier.Predict(pixels);
            float max = logits.Max();
            float sum = logits.Sum(l => MathF.Exp(l - max));
            for (int k = 0; k < 10; k++) Assert.Equal(ours.Probabilities[k], MathF.Exp(logits[k] - max) / sum, 1e-5f);
        }
    }

    [Fact]
    public void ExportOfATensorFlowCheckpointByTensorNames()
    {
        string? model = RepoPaths.TfReference("checkpoints", "tf1.15-softmax");
        if (model is null) Requirement.Missing("shared/tf-reference/checkpoints/tf1.15-softmax (files written by TensorFlow) is not beside the repository.");
        string file = Path.Combine(_dir, "tf.onnx");
        var run = ConsoleProcess.Run("Predictor", "export", "--model", model, "--input", "Placeholder_4:0", "--output", "Softmax_2:0", "--onnx", file);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.StartsWith($"wrote {file}: opset 7, IR 4, 'Placeholder_4:0' [batch,784] -> 'Softmax_2:0' [batch,10], 3 nodes (MatMul Add Softmax)", run.Stdout);
    }

    [Fact]
    public void AnOpWithNoMappingIsOneLineExit1AndTheFileIsUntouched()
    {
        var (options, _) = fixture.Require();
        string file = Path.Combine(_dir, "loss.onnx");
        File.WriteAllText(file, "an earlier file");
        // The loss reaches TF's softmax cross-entropy subgraph (Rank, Slice, ConcatV2, a two-output op), which has no mapping.
        var run = ConsoleProcess.Run("Predictor", "export", "--model", options.ModelDir, "--output", "loss/total/Mean:0",
            "--feed", "input/inputLabel:0=0", "--onnx", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: node 'loss/[^']+' \(\w+\): [^\n]+\n$", run.Stderr.Replace("\r", ""));
        Assert.Equal("", run.Stdout);
        Assert.Equal("an earlier file", File.ReadAllText(file));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    [Fact]
    public void KeepProbBelow1IsExit1AndWritesNothing()
    {
        var (options, _) = fixture.Require();
        string file = Path.Combine(_dir, "half.onnx");
        var run = ConsoleProcess.Run("Predictor", "export", "--model", options.ModelDir, "--feed", "dropout/keep_prob:0=0.5", "--onnx", file);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: node 'dropout/dropout/", run.Stderr);
        Assert.Contains("feed keep_prob 1", run.Stderr);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("export")]                                  // --onnx is required
    [InlineData("export", "--onnx")]                        // and takes a FILE
    [InlineData("export", "--onnx", "x.onnx", "--bogus")]
    public void UsageErrorsExit2(params string[] args)
    {
        var run = ConsoleProcess.Run("Predictor", args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
    }

    [Fact]
    public async Task ExportsHelpListsOnnxAndTheModelOptions()
    {
        var stdout = new StringWriter();
        var cli = new TfMnist.Predictor.Cli.PredictorCli(ClassifierFactory.Create, stdout, new StringWriter());
        Assert.Equal(0, await cli.RunAsync(["export", "--help"], TestContext.Current.CancellationToken));
        foreach (string option in new[] { "--onnx", "--model", "--input", "--output", "--keep-prob", "--feed", "--verbose" })
            Assert.Contains(option, stdout.ToString());
    }

    [Fact]
    public void AMissingModelOrFolderIsExit1()
    {
        var run = ConsoleProcess.Run("Predictor", "export", "--model", Path.Combine(_dir, "none"), "--onnx", Path.Combine(_dir, "x.onnx"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not exist", run.Stderr);
        run = ConsoleProcess.Run("Predictor", "export", "--onnx", Path.Combine(_dir, "no", "such", "x.onnx"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not exist", run.Stderr);
    }

    [Fact]
    public void TrainerExportsTheModelItSaved()
    {
        var (options, _) = fixture.Require();
        string file = Path.Combine(_dir, "trained.onnx");
        var run = ConsoleProcess.Run("Trainer", "--steps", "20", "--seed", "3", "--data-dir", options.DataDir, "--log-dir", Path.Combine(_dir, "log"),
            "--model-dir", Path.Combine(_dir, "model"), "--export-onnx", file);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"ONNX model: {file} (opset 11, 'input/inputData:0' -> 'layerOutput/activation:0'", run.Stdout);
        using var ort = new InferenceSession(file);
        Assert.Equal(["input/inputData:0"], ort.InputNames);

        run = ConsoleProcess.Run("Trainer", "--steps", "1", "--no-checkpoint", "--data-dir", options.DataDir, "--export-onnx", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-checkpoint", run.Stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
