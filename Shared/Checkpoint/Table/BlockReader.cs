using System.Buffers.Binary;
using TfMnist.IO;

namespace TfMnist.Checkpoint.Table;

/// <summary>
/// Reads one block of a table held in memory: checks it lies inside the file, verifies the
/// trailer's CRC, then decodes its prefix-compressed entries. Every failure names the file and
/// the block's offset.
/// </summary>
internal static class BlockReader
{
    public static List<TableEntry> Read(ReadOnlySpan<byte> file, long limit, BlockHandle handle,
        string fileName, string blockKind)
    {
        string where = $"{blockKind} block at offset {handle.Offset}";
        if (handle.Offset > (ulong)limit || handle.Size > (ulong)limit - handle.Offset
            || (ulong)TableFormat.TrailerLength > (ulong)limit - handle.Offset - handle.Size)
            throw new CheckpointFormatException(fileName,
                $"truncated: {where} with size {handle.Size} extends past the end of the table data ({limit} bytes).");

        var contents = file.Slice((int)handle.Offset, (int)handle.Size);
        var trailer = file.Slice((int)(handle.Offset + handle.Size), TableFormat.TrailerLength);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(trailer[1..]);
        uint actual = Crc32C.Mask(Crc32C.Extend(Crc32C.Compute(contents), trailer[..1]));
        if (stored != actual)
            throw new CheckpointFormatException(fileName,
                $"CRC mismatch in {where}: stored 0x{stored:x8}, computed 0x{actual:x8}.");
        if (trailer[0] != TableFormat.NoCompression)
            throw new CheckpointFormatException(fileName,
                $"{where} uses compression type {trailer[0]}; only uncompressed tables are supported.");

        return DecodeEntries(contents, fileName, where);
    }

    private static List<TableEntry> DecodeEntries(ReadOnlySpan<byte> block, string fileName, string where)
    {
        if (block.Length < 4)
            throw Corrupt(fileName, where, "too short to hold its restart count");
        uint restartCount = BinaryPrimitives.ReadUInt32LittleEndian(block[^4..]);
        if (restartCount == 0 || restartCount > (uint)(block.Length - 4) / 4)
            throw Corrupt(fileName, where, $"impossible restart count {restartCount}");
        int entriesEnd = block.Length - 4 - 4 * (int)restartCount;

        var entries = new List<TableEntry>();
        byte[] lastKey = [];
        int position = 0;
        while (position < entriesEnd)
        {
            var region = block[..entriesEnd];
            if (!Varint.TryRead(region, ref position, 32, out ulong shared)
                || !Varint.TryRead(region, ref position, 32, out ulong nonShared)
                || !Varint.TryRead(region, ref position, 32, out ulong valueLength))
                throw Corrupt(fileName, where, "malformed entry header");
            if (shared > (ulong)lastKey.Length)
                throw Corrupt(fileName, where, $"entry shares {shared} bytes with a {lastKey.Length}-byte previous key");
            if (nonShared + valueLength > (ulong)(entriesEnd - position))
                throw Corrupt(fileName, where, "entry runs past the end of the block");

            byte[] key = new byte[(int)shared + (int)nonShared];
            lastKey.AsSpan(0, (int)shared).CopyTo(key);
            region.Slice(position, (int)nonShared).CopyTo(key.AsSpan((int)shared));
            position += (int)nonShared;
            byte[] value = region.Slice(position, (int)valueLength).ToArray();
            position += (int)valueLength;
            entries.Add(new TableEntry(key, value));
            lastKey = key;
        }
        return entries;
    }

    private static CheckpointFormatException Corrupt(string fileName, string where, string problem) =>
        new(fileName, $"corrupt {where}: {problem}.");
}
