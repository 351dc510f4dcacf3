using System.Buffers.Binary;
using System.IO.Compression;

namespace TfMnist.EndToEnd.Commands;

/// <summary>
/// Small files that claim or hold a lot: a 0.4 MB gzip whose IDX header claims 2,700,000 images
/// (with 400 MB of zeros behind it), and /dev/zero. Peak RSS (VmHWM) of the process stays small.
/// </summary>
[Collection(TrainingCollection.Name)]
public class MemoryCapTests(TrainingFixture fixture, MemoryCapTests.CraftedData data) : IClassFixture<MemoryCapTests.CraftedData>
{
    private const long RssLimitKiB = 300 * 1024;
    private readonly CraftedData _data = data;

    public sealed class CraftedData : IDisposable
    {
        public const int ClaimedImages = 2_700_000;
        public const int BodyBytes = 400 * 1024 * 1024;

        public TempFolder Folder { get; } = new();
        public string DataDir => Folder.Sub("data");
        public string Images => Path.Combine(DataDir, "t10k-images-idx3-ubyte.gz");

        public CraftedData()
        {
            Directory.CreateDirectory(DataDir);
            var imagesHeader = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(imagesHeader, 2051);
            BinaryPrimitives.WriteInt32BigEndian(imagesHeader.AsSpan(4), ClaimedImages);
            BinaryPrimitives.WriteInt32BigEndian(imagesHeader.AsSpan(8), 28);
            BinaryPrimitives.WriteInt32BigEndian(imagesHeader.AsSpan(12), 28);
            WriteGzip(Images, imagesHeader, BodyBytes);
            var labelsHeader = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(labelsHeader, 2049);
            BinaryPrimitives.WriteInt32BigEndian(labelsHeader.AsSpan(4), ClaimedImages);
            WriteGzip(Path.Combine(DataDir, "t10k-labels-idx1-ubyte.gz"), labelsHeader, ClaimedImages);
        }

        private static void WriteGzip(string path, byte[] header, long zeros)
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(header);
            var block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.Length)
                gzip.Write(block, 0, (int)Math.Min(block.Length, left));
        }

        public void Dispose() => Folder.Dispose();
    }

    private static void AssertSmallOneLineError(ConsoleProcess.Result run, string what)
    {
        Assert.True(run.PeakRssKiB < RssLimitKiB, $"{what}: peak RSS {run.PeakRssKiB / 1024} MB (limit {RssLimitKiB / 1024} MB)");
        Assert.Equal(1, run.ExitCode);
        string[] lines = ConsoleProcess.Lines(run.Stderr);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: "), $"{what}: stderr was\n{run.Stderr}");
    }

    [Fact]
    public void EvalOnAGzipClaimingMillionsOfImagesIsRefusedWithoutUnpackingIt()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "eval", "--data-dir", _data.DataDir, "--model", options.ModelDir);
        AssertSmallOneLineError(run, "eval");
        Assert.Contains("2700000", run.Stderr);
        Assert.Contains("--max-images", run.Stderr);
    }

    [Fact]
    public void EvalWithTheCapRaisedStillDoesNotAllocateWhatTheHeaderClaims()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "eval", "--max-images", "3000000", "--data-dir", _data.DataDir, "--model", options.ModelDir);
        AssertSmallOneLineError(run, "eval --max-images");
        Assert.Contains(_data.Images, run.Stderr);
    }

    [Fact]
    public void PredictAnImageOfTheCraftedFileReadsOnlyUpToIt()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "predict", _data.Images + "@0", "--model", options.ModelDir);
        Assert.True(run.PeakRssKiB < RssLimitKiB, $"predict FILE@0: peak RSS {run.PeakRssKiB / 1024} MB");
        // Whether deflate's ratio bound already exposes the claim depends on how well the zeros
        // compressed; either the image is predicted or the lie is one line.
        if (run.ExitCode != 0) AssertSmallOneLineError(run, "predict FILE@0");
    }

    [Fact]
    public void PredictDevZeroIsACappedReadAndOneLine()
    {
        var (options, _) = fixture.Require();
        var run = ConsoleProcess.Run("Predictor", "predict", "/dev/zero", "--model", options.ModelDir);
        AssertSmallOneLineError(run, "predict /dev/zero");
        Assert.Contains("/dev/zero", run.Stderr);
    }

    [Fact]
    public void TrainerOnATrainingFileClaimingMillionsOfImagesIsRefusedWithSmallRss()
    {
        using var dir = new TempFolder();
        string data = dir.Sub("data");
        Directory.CreateDirectory(data);
        string real = RepoPaths.MnistData() ?? Requirement.Missing<string>("MNIST_data is not in the repository");
        File.Copy(_data.Images, Path.Combine(data, "train-images-idx3-ubyte.gz"));
        File.Copy(Path.Combine(_data.DataDir, "t10k-labels-idx1-ubyte.gz"), Path.Combine(data, "train-labels-idx1-ubyte.gz"));
        foreach (string name in new[] { "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine(real, name), Path.Combine(data, name));
        var run = ConsoleProcess.Run("Trainer", "--data-dir", data, "--steps", "1", "--log-dir", dir.Sub("eventlog"), "--model-dir", dir.Sub("model"));
        AssertSmallOneLineError(run, "Trainer");
        Assert.Contains("--max-images", run.Stderr);
    }
}
