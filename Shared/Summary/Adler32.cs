namespace TfMnist.Summary;

/// <summary>Adler-32 (RFC 1950), the checksum that ends a zlib stream.</summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    // The longest run of bytes after which the sums still fit in 32 bits (RFC 1950's NMAX), so
    // the two modulo operations happen once per run rather than once per byte.
    private const int MaxRun = 5552;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(MaxRun, data.Length);
            foreach (byte x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[n..];
        }
        return b << 16 | a;
    }
}
