using System.Buffers.Binary;

namespace TfMnist.Summary;

/// <summary>
/// A zlib stream (RFC 1950) whose deflate data is stored blocks (RFC 1951, BTYPE 00): the
/// bytes as they are, framed. For a few hundred bytes this costs a copy and a checksum where
/// ZLibStream would set up and tear down a full compressor.
/// </summary>
internal static class StoredZlib
{
    private const int MaxBlock = ushort.MaxValue;

    // CMF 0x78: deflate with a 32 KiB window. FLG 0x01: "fastest" level, no dictionary, and the
    // check bits that make CMF * 256 + FLG a multiple of 31.
    private const byte Cmf = 0x78, Flg = 0x01;

    /// <summary>Bytes of the stream for <paramref name="dataLength"/> bytes of data.</summary>
    public static int Length(int dataLength) => 2 + 5 * Blocks(dataLength) + dataLength + 4;

    /// <summary>Writes the stream into <paramref name="output"/>, exactly <see cref="Length"/> bytes.</summary>
    public static void Write(ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (output.Length != Length(data.Length)) throw new ArgumentException("Output size differs from the stream's length.", nameof(output));
        output[0] = Cmf;
        output[1] = Flg;
        int pos = 2;
        int blocks = Blocks(data.Length);
        for (int block = 0; block < blocks; block++)
        {
            var chunk = data.Slice(block * MaxBlock, Math.Min(MaxBlock, data.Length - block * MaxBlock));
            // BFINAL in bit 0, BTYPE 00 in bits 1-2; a stored block then starts at the next
            // byte boundary, so the header is one byte, then LEN and its complement NLEN.
            output[pos] = block == blocks - 1 ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt16LittleEndian(output[(pos + 1)..], (ushort)chunk.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(output[(pos + 3)..], (ushort)~chunk.Length);
            chunk.CopyTo(output[(pos + 5)..]);
            pos += 5 + chunk.Length;
        }
        BinaryPrimitives.WriteUInt32BigEndian(output[pos..], Adler32.Compute(data));
    }

    // Empty data still needs one (empty, final) block.
    private static int Blocks(int dataLength) => Math.Max(1, (dataLength + MaxBlock - 1) / MaxBlock);
}
