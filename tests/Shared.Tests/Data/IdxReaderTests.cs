using System.Buffers.Binary;
using TfMnist.Data;
using static TfMnist.Tests.Data.IdxFixtures;

namespace TfMnist.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte.gz", true)]
    [InlineData("train-images-idx3-ubyte", false)]
    [InlineData("gzipped-but-not-named-so", true)]
    public void ReadsImagesGzippedOrRaw(string name, bool gzip)
    {
        byte[] idx = Images(5);
        string path = Write(name, gzip ? Gzip(idx) : idx);

        var images = IdxReader.ReadImages(path);

        Assert.Equal((5, 28, 28), (images.Count, images.Rows, images.Columns));
        Assert.Equal(idx[16..], images.Pixels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsLabelsGzippedOrRaw(bool gzip)
    {
        byte[] idx = Labels(23);
        string path = Write(gzip ? "l-idx1-ubyte.gz" : "l-idx1-ubyte", gzip ? Gzip(idx) : idx);

        Assert.Equal(idx[8..], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadsZeroImages()
    {
        string path = Write("empty-idx3-ubyte", Images(0));
        Assert.Empty(IdxReader.ReadImages(path).Pixels);
    }

    [Fact]
    public void ImageFileWithLabelMagicIsRejected()
    {
        string path = Write("swapped-idx3-ubyte.gz", Gzip(Images(2, magic: 2049)));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "wrong magic number 2049", "label file", "2051");
    }

    [Fact]
    public void LabelFileWithGarbageMagicIsRejected()
    {
        string path = Write("garbage-idx1-ubyte", Labels(2, magic: 0x3c68746d)); // "<htm"
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "wrong magic number", "2049");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedPixelsAreRejected(bool gzip)
    {
        byte[] idx = Images(3)[..^100];
        string path = Write(gzip ? "short-idx3-ubyte.gz" : "short-idx3-ubyte", gzip ? Gzip(idx) : idx);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "truncated", "3 images");
    }

    [Fact]
    public void TruncatedLabelsAreRejected()
    {
        string path = Write("short-idx1-ubyte.gz", Gzip(Labels(50)[..^1]));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "truncated", "50 labels", "only 49 bytes");
    }

    [Fact]
    public void TruncatedHeaderIsRejected()
    {
        string path = Write("stub-idx3-ubyte", Images(1)[..10]);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "truncated", "header");
    }

    [Fact]
    public void CutOffGzipStreamIsRejected()
    {
        // The compressed bytes themselves end early, as after an interrupted copy.
        byte[] gz = Gzip(Images(40));
        string path = Write("cut-idx3-ubyte.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("corrupt gzip"), e.Message);
    }

    [Fact]
    public void AbsurdCountIsRejectedBeforeAllocating()
    {
        byte[] idx = Images(2);
        BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(4), 2_000_000);
        string path = Write("liar-idx3-ubyte.gz", Gzip(idx));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));

        AssertMessage(e, path, "claims 2000000 images", "cap of 100000", "--max-images");
        var raised = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path, maxImages: 3_000_000));
        AssertMessage(raised, path, "truncated", "2000000 images");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000_000, "allocated the claimed 1.5 GB");
    }

    [Fact]
    public void MemoryFollowsTheDataNotTheHeadersClaim()
    {
        // 1000 images really there (50 KB of noise keeps the gzip large enough that deflate's
        // ratio bound allows the claim), 60000 claimed: 47 MB if sized by the header.
        byte[] idx = Images(1000);
        new Random(1).NextBytes(idx.AsSpan(16, 50_000));
        BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(4), 60_000);
        string path = Write("claims-more-idx3-ubyte.gz", Gzip(idx));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));

        AssertMessage(e, path, "truncated", "60000 images", $"only {1000 * 784} bytes");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8_000_000, $"allocated {allocated} bytes for 784 KB of data");
    }

    [Fact]
    public void ImagesAreStreamedInBatchesAndSkipped()
    {
        byte[] idx = Images(5);
        string path = Write("stream-idx3-ubyte.gz", Gzip(idx));
        using var images = IdxReader.OpenImages(path);
        Assert.Equal(5, images.Count);
        images.Skip(2);
        var two = new byte[2 * 784];
        images.Read(two, 2);
        Assert.Equal(idx[(16 + 2 * 784)..(16 + 4 * 784)], two);
        Assert.Equal(4, images.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => images.Read(two, 2));
    }

    [Fact]
    public void NegativeCountIsRejected()
    {
        byte[] idx = Labels(2);
        BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(4), -5);
        string path = Write("negative-idx1-ubyte", idx);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "negative");
    }

    [Fact]
    public void LabelAboveNineIsRejected()
    {
        byte[] idx = Labels(8);
        idx[8 + 3] = 10;
        string path = Write("ten-idx1-ubyte.gz", Gzip(idx));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "label 10 at index 3", "0-9");
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(28, 27)]
    public void ImagesOtherThan28x28AreRejected(int rows, int columns)
    {
        string path = Write("odd-idx3-ubyte", Images(2, rows, columns));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, $"{rows}x{columns}", "28x28");
    }

    [Fact]
    public void GzNameWithoutGzipDataIsRejected()
    {
        string path = Write("t10k-images-idx3-ubyte.gz", "<html>404 Not Found</html>"u8.ToArray());
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "not gzip", "3C68"); // '<' 'h' as hex
    }

    [Fact]
    public void MissingFileIsReportedByName()
    {
        string path = _dir.File("nowhere-idx3-ubyte.gz");
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "cannot be opened");
    }

    [Fact]
    public void UnseekableStreamsAreReadToo()
    {
        byte[] idx = Labels(12);
        using var stream = new ForwardOnlyStream(Gzip(idx));
        Assert.Equal(idx[8..], IdxReader.ReadLabels(stream, "pipe"));
    }

    internal static void AssertMessage(Exception e, params string[] fragments)
    {
        foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
