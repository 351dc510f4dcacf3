using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TfMnist.Summary;

/// <summary>
/// Minimal PNG writer for 8-bit grey, grey+alpha, RGB and RGBA images: what image summaries
/// need and what TensorBoard displays. Rows use filter type 0 (none), compressed with zlib.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="pixels">Row-major, interleaved channels: height * width * channels bytes.</param>
    /// <param name="channels">1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        byte colorType = channels switch
        {
            1 => 0, // greyscale
            2 => 4, // greyscale with alpha
            3 => 2, // truecolour
            4 => 6, // truecolour with alpha
            _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG supports 1, 2, 3 or 4 channels."),
        };
        long rowBytes = (long)width * channels;
        if (pixels.Length != rowBytes * height)
            throw new ArgumentException($"Expected {rowBytes * height} pixel bytes for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));

        using var output = new MemoryStream();
        output.Write(s_signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;          // bit depth
        ihdr[9] = colorType;
        ihdr[10] = 0;         // compression: deflate
        ihdr[11] = 0;         // filter method 0
        ihdr[12] = 0;         // no interlace
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", Compress(pixels, (int)rowBytes, height));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int rowBytes, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            ReadOnlySpan<byte> filterNone = [0];
            for (int y = 0; y < height; y++)
            {
                zlib.Write(filterNone);
                zlib.Write(pixels.Slice(y * rowBytes, rowBytes));
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        // The chunk CRC covers the type and the data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, PngCrc32.Extend(PngCrc32.Compute(typeBytes), data));
        output.Write(word);
    }
}
