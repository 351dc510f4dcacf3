using TfMnist.Checkpoint.Table;
using TfMnist.Checkpoint;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// A one-entry table derived by hand from the LevelDB format description, with CRCs computed
/// by an independent bit-by-bit CRC-32C. The metaindex trailer CRC (c0f2a1b0) also appears in
/// TensorFlow's own reference .index files.
/// </summary>
public class TableGoldenTests
{
    private const string Golden =
        // data block @0, 13 bytes: shared 0, non-shared 1, value length 1, "k", "v", restart[0]=0, count 1
        "000101" + "6b" + "76" + "00000000" + "01000000" +
        "00" + "e4fc97b9" +                                   // trailer: no compression, masked CRC
                                                              // metaindex block @18, 8 bytes: no entries, restart[0]=0, count 1
        "00000000" + "01000000" + "00" + "c0f2a1b0" +
        // index block @31, 14 bytes: key "l" (successor of "k") -> handle (0, 13)
        "000102" + "6c" + "000d" + "00000000" + "01000000" +
        "00" + "f0c412fc" +
        // footer @50: metaindex handle (18, 8), index handle (31, 14), zero padding to 40 bytes, magic
        "1208" + "1f0e" + "000000000000000000000000000000000000000000000000000000000000000000000000" +
        "57fb808b247547db";

    private static byte[] Build()
    {
        using var stream = new MemoryStream();
        var builder = new TableBuilder(stream);
        builder.Add("k"u8, "v"u8);
        builder.Finish();
        return stream.ToArray();
    }

    [Fact]
    public void SingleEntryTableMatchesHandDerivedBytes()
    {
        Assert.Equal(98, Golden.Length / 2);
        Assert.Equal(Golden, Convert.ToHexStringLower(Build()));
    }

    [Fact]
    public void ReaderReadsHandDerivedBytes()
    {
        var reader = new TableReader(Convert.FromHexString(Golden), "golden.index");
        var entry = Assert.Single(reader.Entries);
        Assert.Equal("k"u8.ToArray(), entry.Key);
        Assert.Equal("v"u8.ToArray(), entry.Value);
    }

    [Theory]
    [InlineData(4, "data block at offset 0")]      // the key byte "k"
    [InlineData(9, "data block at offset 0")]      // the restart count
    [InlineData(14, "data block at offset 0")]     // the stored CRC itself
    [InlineData(34, "index block at offset 31")]   // the index key "l"
    public void CorruptedByteIsReportedAsCrcMismatchAtItsBlock(int offset, string where)
    {
        byte[] table = Convert.FromHexString(Golden);
        table[offset] ^= 0x01;
        var error = Assert.Throws<CheckpointFormatException>(() => new TableReader(table, "golden.index"));
        Assert.Contains("golden.index", error.Message);
        Assert.Contains("CRC mismatch", error.Message);
        Assert.Contains(where, error.Message);
    }

    [Fact]
    public void BadMagicIsNamed()
    {
        byte[] table = Convert.FromHexString(Golden);
        table[^1] = 0;
        var error = Assert.Throws<CheckpointFormatException>(() => new TableReader(table, "golden.index"));
        Assert.Contains("golden.index: bad magic", error.Message);
    }

    [Fact]
    public void TruncatedTableIsNamed()
    {
        // Dropping the front keeps a valid footer whose handles now point past the shorter data.
        byte[] table = Convert.FromHexString(Golden)[20..];
        var error = Assert.Throws<CheckpointFormatException>(() => new TableReader(table, "golden.index"));
        Assert.Contains("truncated", error.Message);

        var tiny = Assert.Throws<CheckpointFormatException>(() => new TableReader(new byte[47], "tiny.index"));
        Assert.Contains("tiny.index: truncated", tiny.Message);
    }

    [Fact]
    public void CompressedBlockIsRejectedAsUnsupported()
    {
        byte[] table = Convert.FromHexString(Golden);
        // Mark the data block as Snappy-compressed and fix its CRC so only the type is wrong.
        table[13] = 1;
        uint crc = TfMnist.IO.Crc32C.Mask(TfMnist.IO.Crc32C.Compute(table.AsSpan(0, 14)));
        BitConverter.TryWriteBytes(table.AsSpan(14, 4), crc);
        var error = Assert.Throws<CheckpointFormatException>(() => new TableReader(table, "golden.index"));
        Assert.Contains("compression type 1", error.Message);
    }
}
