using System.Diagnostics;
using System.Text;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void Encode_RoundTripsThroughDecoder(int channels, int expectedColorType)
    {
        const int width = 7, height = 5;
        var pixels = new byte[width * height * channels];
        new Random(channels).NextBytes(pixels);

        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, width, height, channels));

        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(8, decoded.BitDepth);
        Assert.Equal(expectedColorType, decoded.ColorType);
        Assert.Equal(pixels, decoded.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(8, 2)]
    [InlineData(9, 4)]
    [InlineData(28, 28)]
    public void BlackAndWhiteGrey_IsBitDepth1_StoredAndExact(int width, int height)
    {
        var rng = new Random(width * 100 + height);
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.Next(3) == 0 ? (byte)255 : (byte)0;

        byte[] png = PngEncoder.Encode(pixels, width, height, 1);
        var decoded = PngTestDecoder.Decode(png);

        Assert.Equal((1, 0), (decoded.BitDepth, decoded.ColorType));
        Assert.Equal(pixels, decoded.Pixels);
        // One stored block: zlib header, block header, the rows, Adler-32.
        int rows = height * ((width + 7) / 8 + 1);
        Assert.Equal(2 + 5 + rows + 4, decoded.Idat.Length);
        Assert.Equal(0x01, decoded.Idat[2]); // BFINAL, BTYPE 00
        Assert.Equal(8 + 25 + 12 + decoded.Idat.Length + 12, png.Length);
    }

    [Fact]
    public void BitDepth1_MatchesHandWrittenBytes()
    {
        // 3x2: rows 1 0 1 and 0 0 1 pack MSB first to 0xA0 and 0x20, each after filter byte 0.
        // Adler-32 of 00 A0 00 20: a = 1 + 160 + 32 = 193, b = 1 + 161 + 161 + 193 = 516 = 0x204.
        byte[] png = PngEncoder.Encode([255, 0, 255, 0, 0, 255], 3, 2, 1);
        byte[] idat = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0x00, 0xA0, 0x00, 0x20, 0x02, 0x04, 0x00, 0xC1];
        Assert.Equal(idat, PngTestDecoder.Decode(png).Idat);
        Assert.Equal([0, 0, 0, 3, 0, 0, 0, 2, 1, 0, 0, 0, 0], png[16..29]); // IHDR: 3 x 2, depth 1, grey
    }

    [Fact]
    public void BitDepth1_PacksEveryPatternOfEightPixels()
    {
        // Width 8, row y holds the bits of y: every byte value appears once.
        var pixels = new byte[8 * 256];
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 8; x++) pixels[y * 8 + x] = (y >> (7 - x) & 1) != 0 ? (byte)255 : (byte)0;
        byte[] rows = PngTestDecoder.Decode(PngEncoder.Encode(pixels, 8, 256, 1)).Idat[7..^4];
        for (int y = 0; y < 256; y++) Assert.Equal((0, y), (rows[2 * y], rows[2 * y + 1]));
    }

    [Fact]
    public void AnyOtherGreyByte_KeepsBitDepth8()
    {
        var pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.Length; i += 3) pixels[i] = 255;
        pixels[500] = 254;
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, 28, 28, 1));
        Assert.Equal(8, decoded.BitDepth);
        Assert.Equal(pixels, decoded.Pixels);
        Assert.NotEqual(0, decoded.Idat[2] >> 1 & 3); // 812 bytes of rows: BTYPE is not 00 (stored)
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void BlackAndWhiteColour_KeepsBitDepth8(int channels)
    {
        var pixels = new byte[5 * 4 * channels];
        for (int i = 0; i < pixels.Length; i += 2) pixels[i] = 255;
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, 5, 4, channels));
        Assert.Equal(8, decoded.BitDepth);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void LargeBlackAndWhiteImage_IsCompressed()
    {
        // 200x200 at one bit: 5200 bytes of rows, above the stored limit.
        var pixels = new byte[200 * 200];
        for (int y = 50; y < 150; y++) pixels.AsSpan(y * 200 + 40, 120).Fill(255);
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, 200, 200, 1));
        Assert.Equal(1, decoded.BitDepth);
        Assert.Equal(pixels, decoded.Pixels);
        Assert.True(decoded.Idat.Length < 1000, $"IDAT {decoded.Idat.Length} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(140_000)]
    public void StoredZlib_InflatesToItsInput_WithItsAdler32(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var stream = new byte[StoredZlib.Length(length)];
        StoredZlib.Write(data, stream);
        using var inflated = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(stream), System.IO.Compression.CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        Assert.Equal(data, inflated.ToArray());
        Assert.Equal(PngTestDecoder.SlowAdler32(data), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(stream.Length - 4)));
    }

    [Fact]
    public void Adler32_HasGoldenValues()
    {
        Assert.Equal(0x11E60398u, Adler32.Compute(Encoding.ASCII.GetBytes("Wikipedia")));
        // Long runs of 0xFF exercise the deferred modulo at its limit.
        var ones = Enumerable.Repeat((byte)255, 100_000).ToArray();
        Assert.Equal(PngTestDecoder.SlowAdler32(ones), Adler32.Compute(ones));
    }

    [Fact]
    public void Encode_RejectsWrongPixelCountAndChannels()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[5], 2, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[20], 2, 2, 5));
    }

    [Fact]
    public void FileCommand_RecognizesThePngs()
    {
        if (!File.Exists("/usr/bin/file")) Requirement.Missing("the 'file' command is not installed");
        Assert.Contains("PNG image data, 28 x 28, 8-bit/color RGB", Describe(PngEncoder.Encode(new byte[28 * 28 * 3], 28, 28, 3)));
        Assert.Contains("PNG image data, 28 x 28, 1-bit grayscale", Describe(PngEncoder.Encode(new byte[28 * 28], 28, 28, 1)));
    }

    private static string Describe(byte[] png)
    {
        string path = Path.Combine(Path.GetTempPath(), $"png-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, png);
            var psi = new ProcessStartInfo("/usr/bin/file", ["-b", path]) { RedirectStandardOutput = true };
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
