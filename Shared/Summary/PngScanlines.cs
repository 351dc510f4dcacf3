using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.Summary;

/// <summary>
/// The filtered image data a PNG compresses: each row prefixed by its filter type, always 0
/// (none), either as 8-bit samples or, for a black-and-white grey image, one bit per pixel.
/// </summary>
internal static class PngScanlines
{
    /// <summary>True when every byte is 0 or 255, so one bit per sample loses nothing.</summary>
    public static bool IsBlackAndWhite(ReadOnlySpan<byte> samples)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // 0 + 1 = 1 and 255 + 1 wraps to 0; every other byte ends up above 1.
            ReadOnlySpan<Vector<byte>> vectors = MemoryMarshal.Cast<byte, Vector<byte>>(samples);
            foreach (var v in vectors)
                if (!Vector.LessThanOrEqualAll(v + Vector<byte>.One, Vector<byte>.One)) return false;
            i = vectors.Length * Vector<byte>.Count;
        }
        for (; i < samples.Length; i++)
            if (samples[i] is not (0 or 255)) return false;
        return true;
    }

    /// <summary>Bytes of filtered data for <paramref name="height"/> rows of <paramref name="rowBytes"/>.</summary>
    public static int Length(int rowBytes, int height) => checked((rowBytes + 1) * height);

    /// <summary>8-bit samples: each row copied after its filter byte.</summary>
    public static void WriteBytes(ReadOnlySpan<byte> samples, int rowBytes, int height, Span<byte> output)
    {
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = output.Slice(y * (rowBytes + 1), rowBytes + 1);
            row[0] = 0;
            samples.Slice(y * rowBytes, rowBytes).CopyTo(row[1..]);
        }
    }

    /// <summary>
    /// Bit depth 1 from samples that are 0 or 255: the leftmost pixel in the most significant
    /// bit, the last byte of a row padded with zero bits (PNG rows start on a byte boundary).
    /// </summary>
    public static void WriteBits(ReadOnlySpan<byte> samples, int width, int height, Span<byte> output)
    {
        int rowBytes = (width + 7) / 8;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> source = samples.Slice(y * width, width);
            Span<byte> row = output.Slice(y * (rowBytes + 1), rowBytes + 1);
            row[0] = 0;
            int b = 0;
            for (; 8 * b + 8 <= width; b++) row[1 + b] = PackEight(BinaryPrimitives.ReadUInt64BigEndian(source[(8 * b)..]));
            if (b < rowBytes)
            {
                int packed = 0, used = width - 8 * b;
                foreach (byte sample in source[(8 * b)..]) packed = packed << 1 | sample >> 7;
                row[1 + b] = (byte)(packed << (8 - used));
            }
        }
    }

    /// <summary>
    /// The top bits of eight bytes, the first (most significant) byte's in bit 7, with one
    /// multiply instead of eight shifts. Byte k (from the least significant) keeps bit 8k + 7;
    /// the multiplier's term 2^(7(7 - k)) moves it to bit 56 + k, and the other terms' products
    /// stay below bit 56 without carrying into it (a test checks all 256 patterns).
    /// </summary>
    private static byte PackEight(ulong bigEndian) => (byte)((bigEndian & 0x8080808080808080) * 0x0002040810204081 >> 56);
}
