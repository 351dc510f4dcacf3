namespace TfMnist.Summary;

/// <summary>
/// The histogram bucket of a float32 from two table loads, with no logarithm and no search.
/// A float's bits, sign aside, are ordered like its magnitude; their top 12 bits (8 exponent, 4
/// mantissa) cut each binade into 16 cells, each at most 6.25% wide. TF's limits grow by 10%,
/// so at most one limit falls inside a cell: a cell stores the bucket of its smallest magnitude
/// and the one limit inside it, rounded to the float at or above it. Comparing a float with that
/// float threshold decides exactly as comparing with the double limit would, so the result is
/// identical to <see cref="HistogramBuckets.IndexOf"/>'s upper-bound search.
/// </summary>
internal static class FloatBucketTable
{
    private const int MantissaBits = 4;
    private const int CellShift = 23 - MantissaBits;
    private const int Cells = 1 << (8 + MantissaBits);

    // Positive v: bucket = PositiveBase[cell] + (v >= PositiveThreshold[cell]).
    // Negative v: bucket = NegativeBase[cell] - (v < NegativeThreshold[cell]).
    private static readonly ushort[] PositiveBase = new ushort[Cells];
    private static readonly float[] PositiveThreshold = new float[Cells];
    private static readonly ushort[] NegativeBase = new ushort[Cells];
    private static readonly float[] NegativeThreshold = new float[Cells];

    static FloatBucketTable()
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        for (int cell = 0; cell < Cells; cell++)
        {
            float start = BitConverter.Int32BitsToSingle(cell << CellShift);
            double end = cell + 1 < Cells ? BitConverter.Int32BitsToSingle((cell + 1) << CellShift) : double.PositiveInfinity;
            if (!float.IsFinite(start)) { PositiveThreshold[cell] = NegativeThreshold[cell] = float.NaN; continue; }

            PositiveBase[cell] = checked((ushort)HistogramBuckets.IndexOf(start));
            // The limit l with start < l < end, if any: from there on v >= l moves one bucket up.
            PositiveThreshold[cell] = float.PositiveInfinity;
            // The limit -l with start <= l < end: below it, v < -l moves one bucket down.
            NegativeBase[cell] = checked((ushort)HistogramBuckets.IndexOf(-(double)start));
            NegativeThreshold[cell] = float.NegativeInfinity;
            foreach (double l in limits)
            {
                if (l > start && l < end) PositiveThreshold[cell] = FloatAtOrAbove(l);
                if (l >= start && l < end) NegativeThreshold[cell] = FloatAtOrAbove(-l);
            }
        }
    }

    /// <summary>The bucket of a finite float (callers reject NaN and infinities first).</summary>
    public static int IndexOf(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        int cell = (bits & 0x7FFFFFFF) >> CellShift;
        return bits >= 0
            ? PositiveBase[cell] + (value >= PositiveThreshold[cell] ? 1 : 0)
            : NegativeBase[cell] - (value < NegativeThreshold[cell] ? 1 : 0);
    }

    public static void Count(ReadOnlySpan<float> values, Span<long> counts)
    {
        ushort[] posBase = PositiveBase, negBase = NegativeBase;
        float[] posThreshold = PositiveThreshold, negThreshold = NegativeThreshold;
        foreach (float value in values)
        {
            int bits = BitConverter.SingleToInt32Bits(value);
            int cell = (bits & 0x7FFFFFFF) >> CellShift;
            int index = bits >= 0
                ? posBase[cell] + (value >= posThreshold[cell] ? 1 : 0)
                : negBase[cell] - (value < negThreshold[cell] ? 1 : 0);
            counts[index]++;
        }
    }

    /// <summary>The smallest float &gt;= <paramref name="x"/>: for a float v, v &gt;= x exactly when v &gt;= it.</summary>
    private static float FloatAtOrAbove(double x)
    {
        float f = (float)x;
        return f >= x ? f : MathF.BitIncrement(f);
    }
}
