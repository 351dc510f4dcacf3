using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using TfMnist.Data;

namespace TfMnist.Tests.Data;

/// <summary>
/// read_data_sets on the repository's MNIST_data. Expected values are computed here straight from
/// the gzipped bytes (without IdxReader) and also pinned to the numbers that computation gave once,
/// so a wrong split or a wrong file both show up.
/// </summary>
[Collection(typeof(RealMnistCollection))]
public sealed class RealMnistTests
{
    private static readonly MnistDownloadOptions NoDownload = new() { Enabled = false };

    private static MnistDataSets Load(string dir) =>
        MnistDataSets.ReadDataSets(dir, oneHot: true, seed: 0, download: NoDownload,
            cancellation: TestContext.Current.CancellationToken);

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void SplitsAndKnownValuesMatchTensorFlow()
    {
        string dir = RepoData.MnistDirOrSkip();
        var data = Load(dir);

        Assert.Equal(55000, data.Train.NumExamples);
        Assert.Equal(5000, data.Validation.NumExamples);
        Assert.Equal(10000, data.Test.NumExamples);

        // TF: train = images[5000:], so the first training label is label 5000 of the file.
        byte[] rawTrainLabels = Gunzip(Path.Combine(dir, "train-labels-idx1-ubyte.gz"));
        Assert.Equal(rawTrainLabels[8 + 5000], data.Train.Labels[0]);
        Assert.Equal(7, data.Train.Labels[0]);
        Assert.Equal(5, data.Validation.Labels[0]);
        Assert.Equal(rawTrainLabels[8..].Select(b => (int)b), data.Validation.Labels.Concat(data.Train.Labels));

        byte[] rawTest = Gunzip(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
        int byteSum = rawTest.AsSpan(16, 784).ToArray().Sum(b => b);
        Assert.Equal(18454, byteSum);
        Assert.Equal(byteSum / 255.0, data.Test.Image(0).ToArray().Sum(x => (double)x), 3);
        Assert.Equal(7, data.Test.Labels[0]);
    }

    [Fact]
    public void EveryOneHotRowHoldsASingleOneAtTheLabel()
    {
        var data = Load(RepoData.MnistDirOrSkip());
        foreach (var split in new[] { data.Train, data.Validation, data.Test })
        {
            for (int i = 0; i < split.NumExamples; i++)
            {
                var row = split.LabelsOneHot.AsSpan(i * 10, 10);
                float sum = 0;
                foreach (float x in row) sum += x;
                Assert.Equal(1f, sum);
                Assert.Equal(1f, row[split.Labels[i]]);
            }
            int outOfRange = split.Images.AsSpan().IndexOfAnyExceptInRange(0f, 1f);
            Assert.True(outOfRange < 0, $"pixel {outOfRange} is {(outOfRange < 0 ? 0 : split.Images[outOfRange])}");
        }
    }

    [Fact]
    public void NextBatchCoversEveryTrainingExampleOncePerEpoch()
    {
        var train = Load(RepoData.MnistDirOrSkip()).Train;
        var expected = ExampleCounts(train.Images, train.LabelsOneHot, train.NumExamples);

        var seen = new Dictionary<(int, int), int>();
        var images = new float[100 * DataSet.ImageSize];
        var labels = new float[100 * 10];
        for (int batch = 0; batch < 550; batch++)
        {
            train.NextBatch(100, images, labels);
            foreach (var (key, count) in ExampleCounts(images, labels, 100))
                seen[key] = seen.GetValueOrDefault(key) + count;
        }

        Assert.Equal(0, train.EpochsCompleted);
        Assert.Equal(expected.Count, seen.Count);
        var wrong = expected.Where(kv => seen.GetValueOrDefault(kv.Key) != kv.Value).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} examples not seen exactly as often as they occur");
        train.NextBatch(100, images, labels);
        Assert.Equal(1, train.EpochsCompleted);
    }

    /// <summary>How often each (image content, label) occurs; MNIST has a few duplicate images, hence counts.</summary>
    private static Dictionary<(int Image, int Label), int> ExampleCounts(float[] images, float[] oneHot, int count)
    {
        var counts = new Dictionary<(int, int), int>();
        for (int i = 0; i < count; i++)
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(images.AsSpan(i * DataSet.ImageSize, DataSet.ImageSize)));
            var key = (hash.ToHashCode(), Array.IndexOf(oneHot, 1f, i * 10, 10) - i * 10);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}

/// <summary>
/// Each load of the real data allocates about 450 MB; running these one at a time keeps memory
/// bounded and the timing test meaningful.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RealMnistCollection;
