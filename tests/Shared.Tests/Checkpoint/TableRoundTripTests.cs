using System.Text;
using TfMnist.Checkpoint;
using TfMnist.Checkpoint.Table;

namespace TfMnist.Tests.Checkpoint;

public class TableRoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    public void ReadsBackEveryEntryInOrder(int count)
    {
        var entries = TableTestData.Entries(count);
        var reader = new TableReader(TableTestData.Build(entries), "test.index");

        Assert.Equal(count, reader.Entries.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(entries[i].Key, reader.Entries[i].Key);
            Assert.Equal(entries[i].Value, reader.Entries[i].Value);
        }
        foreach (var (key, value) in entries)
            Assert.Equal(value, reader.Get(key));
    }

    [Fact]
    public void ThousandEntriesSpanSeveralDataBlocks()
    {
        byte[] table = TableTestData.Build(TableTestData.Entries(1000));
        // The footer's index handle; the index block holds one entry per data block.
        int position = 0;
        var footer = table.AsSpan(table.Length - 48);
        Assert.True(BlockHandle.TryDecode(footer, ref position, out _));
        Assert.True(BlockHandle.TryDecode(footer, ref position, out BlockHandle index));
        var indexBlock = table.AsSpan((int)index.Offset, (int)index.Size);
        uint restarts = BitConverter.ToUInt32(indexBlock[^4..]);
        // Index entries are all restart points, so the restart count is the data block count.
        Assert.True(restarts >= 5, $"expected several data blocks, got {restarts}");
        Assert.True(table.Length > 4 * 4096);
    }

    [Fact]
    public void GetMissesReturnNull()
    {
        var reader = new TableReader(TableTestData.Build(TableTestData.Entries(1000)), "test.index");
        Assert.Null(reader.Get(""u8));
        Assert.Null(reader.Get("model/layer_0/weights/slot_00001"u8)); // 1 % 7 == 1, so not layer_0
        Assert.Null(reader.Get("model/layer_0/weights/slot_0000"u8));  // a prefix of a key
        Assert.Null(reader.Get("zzz"u8));
        Assert.NotNull(reader.Get("model/layer_1/weights/slot_00001"u8));
    }

    [Fact]
    public void EmptyKeyIsAValidFirstKey()
    {
        var reader = new TableReader(TableTestData.Build([([], [1]), ("a"u8.ToArray(), [2])]), "t");
        Assert.Equal([1], reader.Get([]));
        Assert.Equal([2], reader.Get("a"u8));
    }

    [Theory]
    [InlineData("b", "a")]
    [InlineData("a", "a")]
    [InlineData("ab", "a")]
    public void RejectsKeysNotStrictlyIncreasing(string first, string second)
    {
        var builder = new TableBuilder(new MemoryStream());
        builder.Add(Encoding.ASCII.GetBytes(first), []);
        var error = Assert.Throws<ArgumentException>(() => builder.Add(Encoding.ASCII.GetBytes(second), []));
        Assert.Contains("strictly increasing", error.Message);
    }

    [Fact]
    public void OrderIsBytewiseNotCultural()
    {
        // 'Z' (0x5a) sorts before '_' (0x5f) and 'a' (0x61); 0xc3 (UTF-8 lead byte) after all ASCII.
        var builder = new TableBuilder(new MemoryStream());
        builder.Add("Z"u8, []);
        builder.Add("_"u8, []);
        builder.Add("a"u8, []);
        builder.Add([0xc3, 0xa9], []);
        Assert.Throws<ArgumentException>(() => builder.Add("b"u8, []));
    }

    [Fact]
    public void BlockSizeOptionControlsBlockCount()
    {
        var entries = TableTestData.Entries(200);
        byte[] small = TableTestData.Build(entries, blockSize: 256);
        byte[] large = TableTestData.Build(entries, blockSize: 1 << 20);
        Assert.True(small.Length > large.Length, "more blocks mean more trailers and restarts");
        Assert.Equal(200, new TableReader(small, "s").Entries.Count);
        Assert.Equal(200, new TableReader(large, "l").Entries.Count);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.index");
        var error = Assert.Throws<FileNotFoundException>(() => TableReader.Open(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void CorruptionErrorsAreCheckpointFormatExceptions()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => new TableReader(new byte[10], "short.index"));
        Assert.Equal("short.index", error.FileName);
    }
}
