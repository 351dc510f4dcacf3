using System.Buffers.Binary;
using TfMnist.Data;
using static TfMnist.Tests.Data.IdxFixtures;
using static TfMnist.Tests.Data.IdxReaderTests;

namespace TfMnist.Tests.Data;

/// <summary>read_data_sets on small generated data sets laid out in each way a user might have them.</summary>
public sealed class ReadDataSetsTests : IDisposable
{
    private static readonly MnistDownloadOptions NoDownload = new() { Enabled = false };
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private MnistDataSets Read(int validationSize = 5) =>
        MnistDataSets.ReadDataSets(_dir.Path, validationSize: validationSize, seed: 1, download: NoDownload,
            cancellation: TestContext.Current.CancellationToken);

    private static void AssertSplits(MnistDataSets data, int validationSize, int trainCount, int testCount)
    {
        Assert.Equal(trainCount - validationSize, data.Train.NumExamples);
        Assert.Equal(validationSize, data.Validation.NumExamples);
        Assert.Equal(testCount, data.Test.NumExamples);
        // TF: validation = train_images[:validation_size], train = train_images[validation_size:].
        for (int i = 0; i < data.Validation.NumExamples; i++) Assert.Equal(i, ExampleIndexOf(data.Validation.Image(i)));
        for (int i = 0; i < data.Train.NumExamples; i++)
        {
            Assert.Equal(validationSize + i, ExampleIndexOf(data.Train.Image(i)));
            Assert.Equal(Label(validationSize + i), data.Train.Labels[i]);
        }
        for (int i = 0; i < testCount; i++) Assert.Equal(Label(i), data.Test.Labels[i]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsLooseFiles(bool gzipped)
    {
        WriteAll(_dir.Path, MiniMnist(20, 8, gzipped));
        AssertSplits(Read(), 5, 20, 8);
    }

    [Fact]
    public void ReadsDottedNamesAsSomeUnpackersWriteThem()
    {
        foreach (var (name, bytes) in MiniMnist(12, 3, gzipped: false))
            File.WriteAllBytes(_dir.File(name.Replace("-idx", ".idx")), bytes);
        AssertSplits(Read(), 5, 12, 3);
    }

    [Theory]
    [InlineData("mnist.zip", true, "")]
    [InlineData("mnist.zip", false, "MNIST/raw/")]
    [InlineData("mnist.tar.gz", true, "mnist/")]
    [InlineData("mnist.tgz", false, "")]
    public void ReadsFilesInsideAnArchive(string archive, bool gzippedEntries, string folder)
    {
        var files = MiniMnist(15, 6, gzippedEntries);
        if (archive.EndsWith(".zip")) WriteZip(_dir.File(archive), files, folder);
        else WriteTarGz(_dir.File(archive), files, folder);

        AssertSplits(Read(), 5, 15, 6);
    }

    [Fact]
    public void LooseFilesAndArchiveEntriesCanBeMixed()
    {
        var files = MiniMnist(10, 4);
        WriteAll(_dir.Path, files.Where(kv => kv.Key.StartsWith("train")).ToDictionary());
        WriteZip(_dir.File("test.zip"), files.Where(kv => kv.Key.StartsWith("t10k")).ToDictionary());
        AssertSplits(Read(validationSize: 0), 0, 10, 4);
    }

    [Fact]
    public void CorruptArchiveIsNamed()
    {
        File.WriteAllBytes(_dir.File("mnist.zip"), "PK\u0003\u0004 not really a zip"u8.ToArray());
        var e = Assert.Throws<MnistDataException>(() => Read());
        AssertMessage(e, _dir.File("mnist.zip"), "cannot be read as an archive");
    }

    [Fact]
    public void CountsThatDisagreeNameBothFiles()
    {
        var files = MiniMnist(10, 4);
        files["train-labels-idx1-ubyte.gz"] = Gzip(Labels(9));
        WriteAll(_dir.Path, files);
        var e = Assert.Throws<MnistDataException>(() => Read());
        AssertMessage(e, _dir.File("train-images-idx3-ubyte.gz"), _dir.File("train-labels-idx1-ubyte.gz"), "10 images", "9 labels");
    }

    [Fact]
    public void LabelsAreCheckedAgainstTheImagesBeforeThePixelsAreRead()
    {
        // The image file claims 12 images but holds 10: had its pixels been read, the error
        // would be "truncated"; the count check against the 9 labels comes first.
        var files = MiniMnist(10, 4);
        byte[] images = Images(10);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), 12);
        files["train-images-idx3-ubyte.gz"] = Gzip(images);
        files["train-labels-idx1-ubyte.gz"] = Gzip(Labels(9));
        WriteAll(_dir.Path, files);
        var e = Assert.Throws<MnistDataException>(() => Read());
        AssertMessage(e, "12 images", "9 labels");
        Assert.DoesNotContain("truncated", e.Message);
    }

    [Fact]
    public void BadFileInsideArchiveIsNamedWithItsEntry()
    {
        var files = MiniMnist(10, 4);
        files["t10k-labels-idx1-ubyte.gz"] = Gzip(Images(4));
        WriteZip(_dir.File("mnist.zip"), files);
        var e = Assert.Throws<MnistDataException>(() => Read());
        AssertMessage(e, "mnist.zip!t10k-labels-idx1-ubyte.gz", "wrong magic number 2051");
    }

    [Fact]
    public void ValidationSizeMustFitTheTrainingSet()
    {
        WriteAll(_dir.Path, MiniMnist(10, 4));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Read(validationSize: 11));
        Assert.Contains("Validation size should be between 0 and 10. Received: 11.", e.Message);
        AssertSplits(Read(validationSize: 10), 10, 10, 4);
    }

    [Fact]
    public void MissingFilesWithDownloadsDisabledSayWhatToPutWhere()
    {
        var files = MiniMnist(10, 4);
        files.Remove("t10k-images-idx3-ubyte.gz");
        WriteAll(_dir.Path, files);

        var e = Assert.Throws<MnistDataException>(() => Read());

        AssertMessage(e, _dir.Path, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz   (missing)", "t10k-labels-idx1-ubyte.gz", "shared/data/mnist", "disabled");
        Assert.DoesNotContain("train-images-idx3-ubyte.gz   (missing)", e.Message);
    }
}
