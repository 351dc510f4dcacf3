namespace TfMnist.Checkpoint.Table;

/// <summary>Constants of the LevelDB sorted-table layout that TensorFlow's .index files use.</summary>
internal static class TableFormat
{
    /// <summary>The last 8 bytes of every table, little-endian.</summary>
    public const ulong Magic = 0xdb4775248b80fb57UL;

    /// <summary>Two handles padded to their maximal encoded length, then the magic.</summary>
    public const int FooterLength = 2 * BlockHandle.MaxEncodedLength + 8;

    /// <summary>After each block: one compression-type byte and a masked CRC-32C.</summary>
    public const int TrailerLength = 5;

    public const byte NoCompression = 0;

    /// <summary>LevelDB's and TensorFlow's default distance between restart points.</summary>
    public const int DefaultRestartInterval = 16;

    /// <summary>LevelDB's default target for the uncompressed size of a data block.</summary>
    public const int LevelDbBlockSize = 4 * 1024;

    /// <summary>
    /// TensorFlow's table::Options default (256 KiB). BundleWriter uses it so that our .index
    /// files split into blocks exactly where TensorFlow's would.
    /// </summary>
    public const int TensorFlowBlockSize = 256 * 1024;

    /// <summary>Bytewise (unsigned, memcmp-like, shorter-prefix-first) key order.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
