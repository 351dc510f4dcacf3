using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TfMnist.Tests.Summary;

/// <summary>
/// A deliberately small PNG reader for tests: checks the signature and every chunk's CRC-32
/// (computed here bit by bit, independently of the encoder's table), inflates IDAT with the
/// platform's zlib, checks the zlib header and the Adler-32 (also computed here, the slow way),
/// undoes filter type 0 only, which is all our encoder emits, and expands bit depth 1 to bytes
/// 0 and 255 so pixels compare with the encoder's input.
/// </summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, int ColorType, int BitDepth, byte[] Pixels, List<string> Chunks, byte[] Idat);

    public static Image Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(signature, png[..8]);
        int pos = 8, width = 0, height = 0, colorType = -1, bitDepth = 0;
        var idat = new MemoryStream();
        var chunks = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(BitwiseCrc32(png.AsSpan(pos + 4, 4 + length)), crc);
            chunks.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                bitDepth = data[8];
                colorType = data[9];
                Assert.Equal(0, data[10]);
                Assert.Equal(0, data[11]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            pos += 12 + length;
        }
        int channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"color type {colorType}") };
        Assert.True(bitDepth == 8 || (bitDepth == 1 && colorType == 0), $"bit depth {bitDepth} with color type {colorType}");
        byte[] stream = idat.ToArray();
        Assert.Equal(0x78, stream[0]);                         // deflate, 32 KiB window
        Assert.Equal(0, (stream[0] * 256 + stream[1]) % 31);  // header check bits
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(stream), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        byte[] raw = inflated.ToArray();
        Assert.Equal(SlowAdler32(raw), BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(stream.Length - 4)));
        int stride = bitDepth == 1 ? (width + 7) / 8 : width * channels;
        Assert.Equal(height * (stride + 1), raw.Length);
        var pixels = new byte[height * width * channels];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (stride + 1)]); // filter type none
            var row = raw.AsSpan(y * (stride + 1) + 1, stride);
            if (bitDepth == 8)
            {
                row.CopyTo(pixels.AsSpan(y * stride));
                continue;
            }
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = (row[x / 8] >> (7 - x % 8) & 1) != 0 ? (byte)255 : (byte)0;
            if (width % 8 != 0) Assert.Equal(0, row[^1] & (0xFF >> (width % 8))); // padding bits are zero
        }
        return new Image(width, height, colorType, bitDepth, pixels, chunks, stream);
    }

    /// <summary>Adler-32 straight from RFC 1950's definition, a modulo per byte.</summary>
    public static uint SlowAdler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        return b << 16 | a;
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
        }
        return ~c;
    }
}
