using TfMnist.EndToEnd.Predictor;
using TfMnist.Predictor.Cli;
using TfMnist.Predictor.Input;
using TfMnist.Predictor;

namespace TfMnist.EndToEnd.Commands;

/// <summary>Each failure says what it is, naming the file and the field, on one printable line.</summary>
public class ClearMessageTests
{
    private static async Task<(int Exit, string Err)> RunRealAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await new PredictorCli(ClassifierFactory.Create, stdout, stderr).RunAsync(args, TestContext.Current.CancellationToken);
        return (exit, stderr.ToString());
    }

    [Fact]
    public void AnEmptyPngSaysItIsEmpty()
    {
        using var dir = TestData.NewTempDir();
        string png = dir.File("empty.png");
        File.WriteAllBytes(png, []);
        var e = Assert.Throws<InputFileException>(() => InputLoader.Load(png));
        Assert.Equal($"{png}: the file is empty (0 bytes)", e.Message);
    }

    [Fact]
    public void ADirectoryGivenAsAFileSaysSo()
    {
        using var dir = TestData.NewTempDir();
        var e = Assert.Throws<InputFileException>(() => InputLoader.Load(dir.Path));
        Assert.Equal($"{dir.Path}: is a directory, not a file", e.Message);
    }

    [Fact]
    public void ATruncatedPngsMessageIsPrintable()
    {
        using var dir = TestData.NewTempDir();
        string png = dir.File("cut.png");
        byte[] whole = GreyCanvas.FromMnist(TestData.TestImages.GetImage(0), 6, 30).ToPng();
        File.WriteAllBytes(png, whole[..(whole.Length / 2)]);
        var e = Assert.Throws<InputFileException>(() => InputLoader.Load(png));
        Assert.StartsWith(png + ": ", e.Message);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Fact]
    public async Task ACheckpointStatePointingOutsideTheModelDirectoryIsNamed()
    {
        using var dir = TestData.NewTempDir();
        File.WriteAllText(dir.File("checkpoint"), "model_checkpoint_path: \"../../elsewhere/mnist\"\n");
        var (exit, err) = await RunRealAsync("predict", Path.Combine(TestData.MnistDir, "t10k-images-idx3-ubyte.gz"), "--model", dir.Path);
        Assert.Equal(1, exit);
        string line = Assert.Single(ConsoleProcess.Lines(err));
        Assert.Contains(dir.File("checkpoint"), line);
        Assert.Contains("model_checkpoint_path", line);
        Assert.Contains("../../elsewhere/mnist", line);
        Assert.DoesNotContain("No checkpoint in", line);
    }

    [Fact]
    public async Task AGarbageCheckpointStateFileIsNamedWithoutAnExceptionTypeName()
    {
        using var dir = TestData.NewTempDir();
        File.WriteAllText(dir.File("checkpoint"), "\u0001\u0002 this is not a checkpoint state {{{\n");
        var (exit, err) = await RunRealAsync("predict", Path.Combine(TestData.MnistDir, "t10k-images-idx3-ubyte.gz"), "--model", dir.Path);
        Assert.Equal(1, exit);
        string line = Assert.Single(ConsoleProcess.Lines(err));
        Assert.Contains(dir.File("checkpoint"), line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain(line, char.IsControl);
    }
}
