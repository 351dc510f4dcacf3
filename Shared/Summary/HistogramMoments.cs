using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.Summary;

/// <summary>A histogram's statistics of a block of values: min, max, sum and sum of squares.</summary>
internal static class HistogramMoments
{
    // One vectorized pass for the finiteness check, min, max, sum and sum of squares. Sums are
    // kept in double, as TF adds each value after widening it to double.
    public static void Accumulate(ReadOnlySpan<float> values, string tag,
        out double min, out double max, out double sum, out double sumSquares)
    {
        int i = 0;
        var vMin = new Vector<float>(float.PositiveInfinity);
        var vMax = new Vector<float>(float.NegativeInfinity);
        var vSum = Vector<double>.Zero;
        var vSq = Vector<double>.Zero;
        var allFinite = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (Vector<float> v in vectors)
            {
                // x - x is 0 for finite x and NaN for NaN or +-infinity; OR-ing keeps any NaN
                // bit pattern around so a single test after the loop catches it.
                allFinite |= v - v;
                vMin = Vector.Min(vMin, v);
                vMax = Vector.Max(vMax, v);
                Vector.Widen(v, out Vector<double> lo, out Vector<double> hi);
                vSum += lo + hi;
                vSq += lo * lo + hi * hi;
            }
            i = vectors.Length * Vector<float>.Count;
        }
        if (!Vector.EqualsAll(allFinite, Vector<float>.Zero)) ThrowNonFinite(values, tag);

        float fMin = float.PositiveInfinity, fMax = float.NegativeInfinity;
        for (int k = 0; k < Vector<float>.Count; k++)
        {
            fMin = Math.Min(fMin, vMin[k]);
            fMax = Math.Max(fMax, vMax[k]);
        }
        sum = Vector.Sum(vSum);
        sumSquares = Vector.Sum(vSq);
        for (; i < values.Length; i++)
        {
            float f = values[i];
            if (!float.IsFinite(f)) ThrowNonFinite(values, tag);
            fMin = Math.Min(fMin, f);
            fMax = Math.Max(fMax, f);
            double d = f;
            sum += d;
            sumSquares += d * d;
        }
        min = fMin;
        max = fMax;
    }

    private static void ThrowNonFinite(ReadOnlySpan<float> values, string tag)
    {
        foreach (float f in values)
        {
            if (float.IsNaN(f)) throw new ArgumentException($"Nan in summary histogram for: {tag}", nameof(values));
            if (float.IsInfinity(f)) throw new ArgumentException($"Infinity in summary histogram for: {tag}", nameof(values));
        }
        throw new InvalidOperationException("unreachable: a non-finite value was detected but not found");
    }
}
