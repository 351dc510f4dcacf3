using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.Summary;

/// <summary>A histogram's statistics of a block of values: min, max, sum and sum of squares.</summary>
internal static class HistogramMoments
{
    // One vectorized pass for the finiteness check, min, max, sum and sum of squares. Sums are
    // kept in double, as TF adds each value after widening it to double.
    public static void Accumulate(ReadOnlySpan<float> values, string tag,
        out double min, out double max, out double sum, out double sumSquares) =>
        Accumulate<WithoutRelu>(values, tag, out min, out max, out sum, out sumSquares, out _, out _);

    /// <summary>
    /// As <see cref="Accumulate(ReadOnlySpan{float}, string, out double, out double, out double, out double)"/>, and
    /// the sums of max(x, 0) too, each term added in the place its ReLU value would take in that pass over Relu(x):
    /// the bits of the ReLU histogram's own sums (adding ±0 leaves a double sum as it is).
    /// </summary>
    public static void AccumulateWithRelu(ReadOnlySpan<float> values, string tag,
        out double min, out double max, out double sum, out double sumSquares, out double reluSum, out double reluSumSquares) =>
        Accumulate<WithRelu>(values, tag, out min, out max, out sum, out sumSquares, out reluSum, out reluSumSquares);

    private interface IReluPart { static abstract bool Enabled { get; } }
    private struct WithRelu : IReluPart { public static bool Enabled => true; }
    private struct WithoutRelu : IReluPart { public static bool Enabled => false; }

    private static void Accumulate<TRelu>(ReadOnlySpan<float> values, string tag,
        out double min, out double max, out double sum, out double sumSquares, out double reluSum, out double reluSumSquares)
        where TRelu : struct, IReluPart
    {
        var rSum = Vector<double>.Zero;
        var rSq = Vector<double>.Zero;
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
                if (TRelu.Enabled)
                {
                    Vector.Widen(Vector.Max(v, Vector<float>.Zero), out Vector<double> rLo, out Vector<double> rHi);
                    rSum += rLo + rHi;
                    rSq += rLo * rLo + rHi * rHi;
                }
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
        reluSum = Vector.Sum(rSum);
        reluSumSquares = Vector.Sum(rSq);
        for (; i < values.Length; i++)
        {
            float f = values[i];
            if (!float.IsFinite(f)) ThrowNonFinite(values, tag);
            fMin = Math.Min(fMin, f);
            fMax = Math.Max(fMax, f);
            double d = f;
            sum += d;
            sumSquares += d * d;
            if (TRelu.Enabled)
            {
                double r = f > 0 ? d : 0.0;
                reluSum += r;
                reluSumSquares += r * r;
            }
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
