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

    [Fact]
    public void Crc32_HasIsoHdlcGoldenValue() =>
        Assert.Equal(0xCBF43926u, PngCrc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Encode_RejectsWrongPixelCountAndChannels()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[5], 2, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[20], 2, 2, 5));
    }

    [Fact]
    public void FileCommand_RecognizesThePng()
    {
        if (!File.Exists("/usr/bin/file")) Assert.Skip("the 'file' command is not installed");
        string path = Path.Combine(Path.GetTempPath(), $"png-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, PngEncoder.Encode(new byte[28 * 28 * 3], 28, 28, 3));
            var psi = new ProcessStartInfo("/usr/bin/file", ["-b", path]) { RedirectStandardOutput = true };
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Contains("PNG image data, 28 x 28, 8-bit/color RGB", output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
