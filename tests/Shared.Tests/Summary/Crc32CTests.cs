using System.Text;
using TfMnist.IO;

namespace TfMnist.Tests.Summary;

public class Crc32CTests
{
    [Fact]
    public void CheckString_HasCastagnoliGoldenValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void ThirtyTwoZeroBytes_HaveGoldenValue() =>
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void Extend_EqualsComputeOfConcatenation()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint partial = Crc32C.Compute(data.AsSpan(0, 13));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Extend(partial, data.AsSpan(13)));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xE3069283u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x12345678u)]
    public void Mask_RoundTripsAndChangesValue(uint crc)
    {
        uint masked = Crc32C.Mask(crc);
        Assert.NotEqual(crc, masked);
        Assert.Equal(crc, Crc32C.Unmask(masked));
    }

    [Fact]
    public void Mask_MatchesTensorFlowFormula()
    {
        // ((crc >> 15) | (crc << 17)) + 0xa282ead8 for crc = 0xE3069283, computed independently:
        // rotate right 15 -> 0x2507C60D, plus 0xA282EAD8 -> 0xC78AB0E5.
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(0xE3069283u));
    }
}
