using System.Buffers.Binary;

namespace TfMnist.Checkpoint.Table;

/// <summary>
/// Reads a LevelDB-format sorted table (TensorFlow's .index files). The whole table is read and
/// every block's CRC verified when it is opened: checkpoint indexes are small, and failing at
/// open time is clearer than failing on some later lookup.
/// </summary>
public sealed class TableReader
{
    private readonly TableEntry[] _entries;

    public TableReader(byte[] contents, string fileName)
    {
        ArgumentNullException.ThrowIfNull(contents);
        FileName = fileName;
        _entries = Load(contents, fileName);
    }

    public static TableReader Open(string path)
    {
        byte[] contents;
        try
        {
            contents = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Table file not found: {path}", path, e);
        }
        return new TableReader(contents, path);
    }

    public string FileName { get; }

    /// <summary>All entries in key order.</summary>
    public IReadOnlyList<TableEntry> Entries => _entries;

    /// <summary>The value stored under <paramref name="key"/>, or null if there is none.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        int low = 0, high = _entries.Length - 1;
        while (low <= high)
        {
            int mid = low + (high - low) / 2;
            int order = TableFormat.Compare(_entries[mid].Key, key);
            if (order == 0)
                return _entries[mid].Value;
            if (order < 0)
                low = mid + 1;
            else
                high = mid - 1;
        }
        return null;
    }

    private static TableEntry[] Load(byte[] file, string fileName)
    {
        if (file.Length < TableFormat.FooterLength)
            throw new CheckpointFormatException(fileName,
                $"truncated: {file.Length} bytes is shorter than the {TableFormat.FooterLength}-byte table footer.");
        long footerStart = file.Length - TableFormat.FooterLength;
        var footer = file.AsSpan((int)footerStart);
        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(footer[^8..]);
        if (magic != TableFormat.Magic)
            throw new CheckpointFormatException(fileName,
                $"bad magic number 0x{magic:x16} (expected 0x{TableFormat.Magic:x16}): not a LevelDB table, or truncated.");

        int position = 0;
        if (!BlockHandle.TryDecode(footer, ref position, out BlockHandle _)
            || !BlockHandle.TryDecode(footer, ref position, out BlockHandle indexHandle)
            || position > 2 * BlockHandle.MaxEncodedLength)
            throw new CheckpointFormatException(fileName, "corrupt footer: malformed block handles.");

        // The metaindex holds only optional filter/statistics blocks, which TF never writes.
        var indexEntries = BlockReader.Read(file, footerStart, indexHandle, fileName, "index");
        var entries = new List<TableEntry>();
        foreach (var indexEntry in indexEntries)
        {
            int handlePosition = 0;
            if (!BlockHandle.TryDecode(indexEntry.Value, ref handlePosition, out BlockHandle dataHandle))
                throw new CheckpointFormatException(fileName,
                    $"corrupt index block at offset {indexHandle.Offset}: malformed data block handle.");
            var block = BlockReader.Read(file, footerStart, dataHandle, fileName, "data");
            foreach (var entry in block)
            {
                if (entries.Count > 0 && TableFormat.Compare(entries[^1].Key, entry.Key) >= 0)
                    throw new CheckpointFormatException(fileName,
                        $"corrupt data block at offset {dataHandle.Offset}: key \"{TableBuilder.Describe(entry.Key)}\" is out of order.");
                entries.Add(entry);
            }
            if (block.Count > 0 && TableFormat.Compare(block[^1].Key, indexEntry.Key) > 0)
                throw new CheckpointFormatException(fileName,
                    $"corrupt index: data block at offset {dataHandle.Offset} holds keys beyond its index key.");
        }
        return [.. entries];
    }
}
