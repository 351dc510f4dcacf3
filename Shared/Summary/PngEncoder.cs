using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace TfMnist.Summary;

/// <summary>
/// Minimal PNG writer for grey, grey+alpha, RGB and RGBA images: what image summaries need and
/// what TensorBoard displays. Rows use filter type 0 (none). A grey image whose bytes are all 0
/// or 255 (MNIST input after rounding) is written with bit depth 1, which decodes to the same
/// pixels at an eighth of the data. Small data goes into stored deflate blocks, larger data
/// through zlib.
/// </summary>
public static class PngEncoder
{
    /// <summary>
    /// Filtered data up to this size is stored, not compressed: deflate would save at most a few
    /// hundred bytes here, while a ZLibStream's set-up costs about 30 us per image. A 28x28
    /// black-and-white image is 140 bytes; a 28x28 8-bit one (812) keeps zlib.
    /// </summary>
    public const int StoredLimit = 512;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Signature, IHDR chunk (12 + 13), IDAT's length, type and CRC, IEND chunk.
    private const int IdatStart = 8 + 25 + 8;
    private const int FixedBytes = IdatStart + 4 + 12;

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
        long sampleRowBytes = (long)width * channels;
        if (pixels.Length != sampleRowBytes * height)
            throw new ArgumentException($"Expected {sampleRowBytes * height} pixel bytes for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));

        bool oneBit = channels == 1 && PngScanlines.IsBlackAndWhite(pixels);
        int rowBytes = oneBit ? (width + 7) / 8 : (int)sampleRowBytes;
        int length = PngScanlines.Length(rowBytes, height);
        byte[]? rented = length > StoredLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> scanlines = rented is null ? stackalloc byte[StoredLimit] : rented;
            scanlines = scanlines[..length];
            if (oneBit) PngScanlines.WriteBits(pixels, width, height, scanlines);
            else PngScanlines.WriteBytes(pixels, rowBytes, height, scanlines);
            byte bitDepth = oneBit ? (byte)1 : (byte)8;
            if (length <= StoredLimit)
            {
                byte[] png = Layout(width, height, bitDepth, colorType, StoredZlib.Length(length));
                StoredZlib.Write(scanlines, png.AsSpan(IdatStart, png.Length - FixedBytes));
                return SealIdat(png);
            }
            using var compressed = new MemoryStream(length / 2);
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                zlib.Write(scanlines);
            byte[] result = Layout(width, height, bitDepth, colorType, (int)compressed.Length);
            compressed.GetBuffer().AsSpan(0, (int)compressed.Length).CopyTo(result.AsSpan(IdatStart));
            return SealIdat(result);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The whole file but IDAT's data and CRC, which the caller fills in.</summary>
    private static byte[] Layout(int width, int height, byte bitDepth, byte colorType, int idatLength)
    {
        var png = new byte[FixedBytes + idatLength];
        Span<byte> s = png;
        Signature.CopyTo(s);
        Span<byte> ihdr = s.Slice(8 + 8, 13);
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        // ihdr[10..13] stay 0: deflate compression, filter method 0, no interlace.
        WriteChunkFrame(s[8..], "IHDR"u8, 13);
        WriteCrc(s[8..], 13);
        WriteChunkFrame(s[(IdatStart - 8)..], "IDAT"u8, idatLength);
        WriteChunkFrame(s[^12..], "IEND"u8, 0);
        WriteCrc(s[^12..], 0);
        return png;
    }

    private static byte[] SealIdat(byte[] png)
    {
        int idatLength = png.Length - FixedBytes;
        WriteCrc(png.AsSpan(IdatStart - 8), idatLength);
        return png;
    }

    private static void WriteChunkFrame(Span<byte> chunk, ReadOnlySpan<byte> type, int dataLength)
    {
        BinaryPrimitives.WriteInt32BigEndian(chunk, dataLength);
        type.CopyTo(chunk[4..]);
    }

    // The chunk CRC covers the type and the data, not the length.
    private static void WriteCrc(Span<byte> chunk, int dataLength) =>
        BinaryPrimitives.WriteUInt32BigEndian(chunk[(8 + dataLength)..], Crc32.HashToUInt32(chunk.Slice(4, 4 + dataLength)));
}
