using TfMnist.IO;
using TfMnist.Checkpoint.Table;

namespace TfMnist.Tests.Checkpoint;

public class VarintTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "ac02")]
    [InlineData(31360UL, "80f501")]
    [InlineData(ulong.MaxValue, "ffffffffffffffffff01")]
    public void EncodesAsLevelDbDoesAndDecodesBack(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength64];
        int length = Varint.Encode(buffer, value);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer[..length]));
        Assert.Equal(length, Varint.Length(value));

        int position = 0;
        Assert.True(Varint.TryRead(buffer[..length], ref position, 64, out ulong decoded));
        Assert.Equal(value, decoded);
        Assert.Equal(length, position);
    }

    [Theory]
    [InlineData("80")]                   // ends mid-varint
    [InlineData("")]                     // nothing at all
    [InlineData("ffffffffffffffffff02")] // 65th bit set
    public void RejectsMalformedVarint64(string hex)
    {
        int position = 0;
        Assert.False(Varint.TryRead(Convert.FromHexString(hex), ref position, 64, out _));
    }

    [Fact]
    public void Varint32RejectsValuesAbove32Bits()
    {
        int position = 0;
        Assert.False(Varint.TryRead(Convert.FromHexString("ffffffff1f"), ref position, 32, out _));
        position = 0;
        Assert.True(Varint.TryRead(Convert.FromHexString("ffffffff0f"), ref position, 32, out ulong max));
        Assert.Equal(uint.MaxValue, max);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(197UL, 8UL)]
    [InlineData(1UL << 40, 262144UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue)]
    public void BlockHandleRoundTrips(ulong offset, ulong size)
    {
        byte[] encoded = new BlockHandle(offset, size).Encode();
        Assert.InRange(encoded.Length, 2, BlockHandle.MaxEncodedLength);
        int position = 0;
        Assert.True(BlockHandle.TryDecode(encoded, ref position, out BlockHandle decoded));
        Assert.Equal(new BlockHandle(offset, size), decoded);
        Assert.Equal(encoded.Length, position);
    }

    [Fact]
    public void BlockHandleEncodingMatchesTensorFlowFooter()
    {
        // The tf1.15 reference .index footer starts with c5 01 08 d2 01 0f: (197, 8), (210, 15).
        Assert.Equal("c50108", Convert.ToHexStringLower(new BlockHandle(197, 8).Encode()));
        Assert.Equal("d2010f", Convert.ToHexStringLower(new BlockHandle(210, 15).Encode()));
    }
}
