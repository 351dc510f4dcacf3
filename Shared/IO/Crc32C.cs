using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.IO;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of TFRecord framing and of TensorBundle/LevelDB tables.
/// Uses the CPU's crc32 instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </summary>
public static class Crc32C
{
    // TensorFlow and LevelDB store "masked" CRCs so that a CRC of data that itself holds CRCs
    // does not degenerate; the mask is a rotation plus a constant.
    private const uint MaskDelta = 0xa282ead8u;

    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>Continues a CRC over more bytes: Extend(Compute(a), b) == Compute(a ++ b).</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in longs)
            state = BitOperations.Crc32C(state, word);
        foreach (byte b in data[(longs.Length * 8)..])
            state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
