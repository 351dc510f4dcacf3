using TfMnist.IO;
namespace TfMnist.Checkpoint.Table;

/// <summary>
/// Where a block lives in a table file: its offset and the size of its contents, excluding the
/// 5-byte trailer. Encoded as two varint64s, in the index block and in the footer.
/// </summary>
public readonly record struct BlockHandle(ulong Offset, ulong Size)
{
    /// <summary>Two varint64s at most.</summary>
    public const int MaxEncodedLength = 2 * Varint.MaxLength64;

    public byte[] Encode()
    {
        Span<byte> buffer = stackalloc byte[MaxEncodedLength];
        int length = Varint.Encode(buffer, Offset);
        length += Varint.Encode(buffer[length..], Size);
        return buffer[..length].ToArray();
    }

    /// <summary>Decodes a handle at <paramref name="position"/>, advancing it; false if malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, ref int position, out BlockHandle handle)
    {
        handle = default;
        if (!Varint.TryRead(input, ref position, 64, out ulong offset)
            || !Varint.TryRead(input, ref position, 64, out ulong size))
            return false;
        handle = new BlockHandle(offset, size);
        return true;
    }
}
