using TfMnist.IO;

namespace TfMnist.Checkpoint.Table;

/// <summary>
/// Writes a LevelDB-format sorted table (uncompressed), the format of TensorFlow's checkpoint
/// .index files: data blocks, an empty metaindex block, an index block with one entry per data
/// block, and a 48-byte footer. Keys must be added in strictly increasing bytewise order.
/// </summary>
public sealed class TableBuilder
{
    private readonly Stream _output;
    private readonly int _blockSize;
    private readonly BlockBuilder _dataBlock;
    // LevelDB stores every index key whole (restart interval 1); TensorFlow keeps that.
    private readonly BlockBuilder _indexBlock = new(restartInterval: 1);
    private ulong _offset;
    private byte[]? _lastKey;
    // The index entry of a finished data block is delayed until the next key is known, so its
    // key can be shortened to a separator between the two blocks.
    private BlockHandle? _pendingHandle;
    private bool _finished;

    /// <param name="output">Receives the table; positioned at the table's start, not closed.</param>
    /// <param name="blockSize">Target uncompressed data-block size; a block is closed once it reaches it.</param>
    /// <param name="restartInterval">Entries between restart points in data blocks.</param>
    public TableBuilder(Stream output, int blockSize = TableFormat.LevelDbBlockSize,
        int restartInterval = TableFormat.DefaultRestartInterval)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _output = output;
        _blockSize = blockSize;
        _dataBlock = new BlockBuilder(restartInterval);
    }

    public long EntryCount { get; private set; }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_lastKey is not null && TableFormat.Compare(key, _lastKey) <= 0)
            throw new ArgumentException(
                $"Table keys must be strictly increasing bytewise: \"{Describe(key)}\" added after \"{Describe(_lastKey)}\".",
                nameof(key));

        if (_pendingHandle is { } handle)
        {
            AddIndexEntry(KeyShortening.ShortestSeparator(_lastKey!, key), handle);
            _pendingHandle = null;
        }
        _dataBlock.Add(key, value);
        _lastKey = key.ToArray();
        EntryCount++;
        if (_dataBlock.EstimatedSize >= _blockSize)
            FlushDataBlock();
    }

    /// <summary>Writes the last data block, metaindex, index and footer. The builder is then closed.</summary>
    public void Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        FlushDataBlock();
        _finished = true;

        // No filters or statistics: the metaindex is an empty block, as TensorFlow writes it.
        BlockHandle metaindex = WriteBlock(new BlockBuilder(TableFormat.DefaultRestartInterval).Finish());
        if (_pendingHandle is { } handle)
        {
            AddIndexEntry(KeyShortening.ShortSuccessor(_lastKey!), handle);
            _pendingHandle = null;
        }
        BlockHandle index = WriteBlock(_indexBlock.Finish());

        Span<byte> footer = stackalloc byte[TableFormat.FooterLength];
        footer.Clear();
        byte[] first = metaindex.Encode();
        byte[] second = index.Encode();
        first.CopyTo(footer);
        second.CopyTo(footer[first.Length..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(
            footer[(2 * BlockHandle.MaxEncodedLength)..], TableFormat.Magic);
        _output.Write(footer);
        _offset += (ulong)footer.Length;
        _output.Flush();
    }

    private void FlushDataBlock()
    {
        if (_dataBlock.IsEmpty)
            return;
        _pendingHandle = WriteBlock(_dataBlock.Finish());
    }

    private void AddIndexEntry(byte[] key, BlockHandle handle) => _indexBlock.Add(key, handle.Encode());

    private BlockHandle WriteBlock(byte[] contents)
    {
        var handle = new BlockHandle(_offset, (ulong)contents.Length);
        Span<byte> trailer = stackalloc byte[TableFormat.TrailerLength];
        trailer[0] = TableFormat.NoCompression;
        // The checksum covers the contents and the compression-type byte.
        uint crc = Crc32C.Extend(Crc32C.Compute(contents), trailer[..1]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], Crc32C.Mask(crc));
        _output.Write(contents);
        _output.Write(trailer);
        _offset += (ulong)(contents.Length + trailer.Length);
        return handle;
    }

    internal static string Describe(ReadOnlySpan<byte> key)
    {
        var text = new System.Text.StringBuilder();
        foreach (byte b in key)
            text.Append(b is >= 0x20 and < 0x7f && b != '"' && b != '\\' ? (char)b : $"\\x{b:x2}");
        return text.ToString();
    }
}
