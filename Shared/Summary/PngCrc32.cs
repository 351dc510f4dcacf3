namespace TfMnist.Summary;

/// <summary>
/// CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320), the checksum of PNG chunks. Written
/// here because System.IO.Hashing is not referenced; PNG chunks are small, a table suffices.
/// </summary>
internal static class PngCrc32
{
    private static readonly uint[] s_table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>Extend(Compute(a), b) == Compute(a ++ b); chunk CRCs cover type then data.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data)
            c = s_table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
