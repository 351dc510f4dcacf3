using TfMnist.Data;
using static TfMnist.Tests.Data.IdxFixtures;

namespace TfMnist.Tests.Data;

public sealed class DataSetTests
{
    private static DataSet Make(int count, bool oneHot = true, int? seed = 7) =>
        new(Images(count).AsSpan(16), Labels(count).AsSpan(8), oneHot, seed);

    /// <summary>Example indices of one batch, read back from the index stamped into each image.</summary>
    private static int[] Indices(float[] images) =>
        Enumerable.Range(0, images.Length / DataSet.ImageSize)
            .Select(row => ExampleIndexOf(images.AsSpan(row * DataSet.ImageSize, DataSet.ImageSize)))
            .ToArray();

    [Fact]
    public void PixelsAreScaledLikeTensorFlow()
    {
        var pixels = Enumerable.Range(0, DataSet.ImageSize).Select(p => (byte)(p % 256)).ToArray();
        var data = new DataSet(pixels, new byte[] { 4 });

        float scale = (float)(1.0 / 255.0); // numpy: float32 array * (1.0 / 255.0) stays float32
        for (int p = 0; p < pixels.Length; p++) Assert.Equal(pixels[p] * scale, data.Images[p]);
        Assert.Equal(0f, data.Images[0]);
        Assert.All(data.Images, x => Assert.InRange(x, 0f, 1f));
        Assert.Equal(1f, data.Images[255], 6);
    }

    [Fact]
    public void LabelsAreDenseAndOneHot()
    {
        var data = Make(30);
        Assert.Equal(30, data.NumExamples);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(Label(i), data.Labels[i]);
            var row = data.LabelsOneHot.AsSpan(i * 10, 10).ToArray();
            Assert.Equal(1f, row.Sum());
            Assert.Equal(1f, row[Label(i)]);
        }
    }

    [Fact]
    public void EveryEpochCoversEveryExampleExactlyOnce()
    {
        var data = Make(50);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = Enumerable.Range(0, 5).SelectMany(_ => Indices(data.NextBatch(10).Images)).Order();
            Assert.Equal(Enumerable.Range(0, 50), seen);
        }
        Assert.Equal(2, data.EpochsCompleted); // the third epoch ended exactly; TF counts it on the next call
    }

    [Fact]
    public void EpochBoundaryTakesTheRestOfTheOldEpochThenTheStartOfANewOne()
    {
        var data = Make(10);
        int[] first = Indices(data.NextBatch(4).Images);
        int[] second = Indices(data.NextBatch(4).Images);
        Assert.Equal(0, data.EpochsCompleted);

        int[] straddling = Indices(data.NextBatch(4).Images);
        Assert.Equal(1, data.EpochsCompleted);
        var leftOver = Enumerable.Range(0, 10).Except(first).Except(second).Order();
        Assert.Equal(leftOver, straddling[..2].Order());

        // The new epoch began with straddling[2..] and continues for 8 more examples.
        var epoch2 = straddling[2..].Concat(Indices(data.NextBatch(4).Images)).Concat(Indices(data.NextBatch(4).Images));
        Assert.Equal(Enumerable.Range(0, 10), epoch2.Order());
    }

    [Fact]
    public void ShufflesBeforeTheFirstBatchAndAgainEachEpoch()
    {
        var data = Make(200);
        int[] epoch1 = Indices(data.NextBatch(200).Images);
        int[] epoch2 = Indices(data.NextBatch(200).Images);

        Assert.NotEqual(Enumerable.Range(0, 200), epoch1);
        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(Enumerable.Range(0, 200), epoch2.Order());
    }

    [Fact]
    public void WithoutShuffleBatchesFollowFileOrder()
    {
        var data = Make(10);
        Assert.Equal([0, 1, 2, 3, 4, 5], Indices(data.NextBatch(6, shuffle: false).Images));
        Assert.Equal([6, 7, 8, 9, 0, 1], Indices(data.NextBatch(6, shuffle: false).Images));
    }

    [Fact]
    public void SameSeedSameBatchesDifferentSeedDifferentBatches()
    {
        DataSet a = Make(100, seed: 42), b = Make(100, seed: 42), c = Make(100, seed: 43);
        for (int i = 0; i < 5; i++)
        {
            var batchA = a.NextBatch(30);
            var batchB = b.NextBatch(30);
            Assert.Equal(batchA.Images, batchB.Images);
            Assert.Equal(batchA.Labels, batchB.Labels);
        }
        Assert.NotEqual(Indices(Make(100, seed: 42).NextBatch(30).Images), Indices(c.NextBatch(30).Images));
    }

    [Fact]
    public void BatchLabelsBelongToTheirImages()
    {
        var data = Make(64);
        var (images, labels) = data.NextBatch(64);
        int[] indices = Indices(images);
        for (int row = 0; row < 64; row++)
        {
            var oneHot = labels.AsSpan(row * 10, 10).ToArray();
            Assert.Equal(Label(indices[row]), Array.IndexOf(oneHot, 1f));
            Assert.Equal(1f, oneHot.Sum());
            Assert.Equal(data.Image(indices[row]).ToArray(), images.AsSpan(row * DataSet.ImageSize, DataSet.ImageSize).ToArray());
        }
    }

    [Fact]
    public void DenseModeGivesOneDigitPerExample()
    {
        var data = Make(20, oneHot: false);
        Assert.Equal(1, data.LabelWidth);
        var (images, labels) = data.NextBatch(20);
        Assert.Equal(20, labels.Length);
        Assert.Equal(Indices(images).Select(i => (float)Label(i)), labels);
    }

    [Fact]
    public void SpanOverloadMatchesArraysAndDoesNotAllocate()
    {
        DataSet withArrays = Make(100, seed: 5), withSpans = Make(100, seed: 5);
        var images = new float[32 * DataSet.ImageSize];
        var labels = new float[32 * 10];
        for (int i = 0; i < 10; i++)
        {
            var expected = withArrays.NextBatch(32);
            withSpans.NextBatch(32, images, labels);
            Assert.Equal(expected.Images, images);
            Assert.Equal(expected.Labels, labels);
        }

        Assert.Equal(0, AllocationCount.OnThisThread(() =>
        {
            for (int i = 0; i < 100; i++) withSpans.NextBatch(32, images, labels);
        }));
    }

    [Fact]
    public void ImagesStayInFileOrderWhileBatching()
    {
        var data = Make(10);
        data.NextBatch(7);
        Assert.Equal(Enumerable.Range(0, 10), Enumerable.Range(0, 10).Select(i => ExampleIndexOf(data.Image(i))));
    }

    [Fact]
    public void BadBatchRequestsAreRefused()
    {
        var data = Make(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(5, new float[4 * DataSet.ImageSize], new float[50]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(5, new float[5 * DataSet.ImageSize], new float[49]));
    }

    [Fact]
    public void MismatchedInputsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new DataSet(new byte[DataSet.ImageSize * 2], new byte[3]));
        Assert.Throws<ArgumentException>(() => new DataSet(new byte[DataSet.ImageSize], new byte[] { 10 }));
    }
}
