namespace TfMnist.IO;

/// <summary>
/// Base-128 varints (7 bits per byte, least significant group first, high bit set on every byte
/// but the last), as protobuf and LevelDB both write them, and little-endian fixed32: the integer
/// encodings of the checkpoint table, the event framing and the hand-encoded summaries.
/// </summary>
internal static class Varint
{
    /// <summary>The longest encoding of a 64-bit value: ceil(64 / 7) bytes.</summary>
    public const int MaxLength64 = 10;

    /// <summary>Bytes <see cref="Encode"/> writes for <paramref name="value"/>.</summary>
    public static int Length(ulong value)
    {
        int length = 1;
        while (value >= 0x80) { value >>= 7; length++; }
        return length;
    }

    public static void Write(Stream output, ulong value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength64];
        output.Write(buffer[..Encode(buffer, value)]);
    }

    /// <summary>Encodes into <paramref name="destination"/> and returns the bytes used.</summary>
    public static int Encode(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Decodes a varint at <paramref name="position"/>, advancing it. Returns false when the
    /// input ends mid-varint or the value overflows <paramref name="maxBits"/> bits, so callers
    /// can report corruption with their own context (file, block offset).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> input, ref int position, int maxBits, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < maxBits && position < input.Length; shift += 7)
        {
            byte b = input[position++];
            ulong group = (ulong)(b & 0x7f);
            // Bits that would fall beyond maxBits mean the encoder did not produce this value.
            if (shift + 7 > maxBits && (group >> (maxBits - shift)) != 0)
                return false;
            value |= group << shift;
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }

    public static void WriteFixed32(Stream output, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        output.Write(buffer);
    }
}
