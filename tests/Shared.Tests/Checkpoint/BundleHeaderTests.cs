using Google.Protobuf;
using TfMnist.Checkpoint;
using TfMnist.Proto;

namespace TfMnist.Tests.Checkpoint;

/// <summary>Index files with unusable headers, built directly with the table writer.</summary>
public class BundleHeaderTests
{
    private static CheckpointFormatException OpenWithIndex(params (byte[] Key, byte[] Value)[] entries)
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        File.WriteAllBytes(BundleFiles.IndexPath(prefix), TableTestData.Build(entries));
        File.WriteAllBytes(BundleFiles.DataPath(prefix), []);
        var error = Assert.Throws<CheckpointFormatException>(() => BundleReader.Open(prefix));
        Assert.Equal(BundleFiles.IndexPath(prefix), error.FileName);
        return error;
    }

    private static byte[] Header(int shards = 1, BundleHeaderProto.Types.Endianness endianness = default,
        int minConsumer = 0) =>
        new BundleHeaderProto
        {
            NumShards = shards,
            Endianness = endianness,
            Version = new VersionDef { Producer = 1, MinConsumer = minConsumer },
        }.ToByteArray();

    [Fact]
    public void ShardedCheckpointIsUnsupported() =>
        Assert.Contains("sharded checkpoints are not supported", OpenWithIndex(([], Header(shards: 2))).Message);

    [Fact]
    public void BigEndianCheckpointIsUnsupported() =>
        Assert.Contains("Big", OpenWithIndex(([], Header(endianness: BundleHeaderProto.Types.Endianness.Big))).Message);

    [Fact]
    public void NewerFormatIsRejected() =>
        Assert.Contains("newer reader", OpenWithIndex(([], Header(minConsumer: 2))).Message);

    [Fact]
    public void MissingHeaderIsNamed() =>
        Assert.Contains("no bundle header", OpenWithIndex(("a"u8.ToArray(), [])).Message);

    [Fact]
    public void UnparsableHeaderIsNamed() =>
        Assert.Contains("bad bundle header", OpenWithIndex(([], [0xff, 0xff, 0xff])).Message);

    [Fact]
    public void UnparsableEntryNamesTheTensor()
    {
        var error = OpenWithIndex(([], Header()), ("weights"u8.ToArray(), [0x0a, 0x05, 0x01]));
        Assert.Contains("tensor \"weights\"", error.Message);
    }

    [Fact]
    public void EmptyIndexFileIsTruncated()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        File.WriteAllBytes(BundleFiles.IndexPath(prefix), []);
        File.WriteAllBytes(BundleFiles.DataPath(prefix), []);
        var error = Assert.Throws<CheckpointFormatException>(() => BundleReader.Open(prefix));
        Assert.Contains("truncated", error.Message);
    }
}
