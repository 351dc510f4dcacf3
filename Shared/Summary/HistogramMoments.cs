using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        // Lanes change the order of the double sums; a reference run takes the sequential loop below.
        bool lanes = !Kernels.KernelPolicy.Reference;
        if (lanes && (Vector512.IsHardwareAccelerated && values.Length >= 32 || Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count))
            Kernels.KernelProbe.Took(Kernels.KernelProbe.Path.VectorSum);
        if (lanes && Vector512.IsHardwareAccelerated && values.Length >= 32)
        {
            Accumulate512<TRelu>(values, out i, out vMin, out vMax, out vSum, out vSq, out rSum, out rSq, out allFinite);
        }
        else if (lanes && Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
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

    /// <summary>
    /// The vector part with AVX-512: 32 values a step in two independent sets of accumulators, so the double
    /// additions (4-cycle latency) do not wait on each other; the sets are then added lane by lane and folded
    /// to the Vector&lt;T&gt; width the caller reduces. The ReLU sums mirror the plain ones lane for lane, so a pair's
    /// ReLU sums keep the bits of a pass over Relu(x) (see <see cref="AccumulateWithRelu"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate512<TRelu>(ReadOnlySpan<float> values, out int done,
        out Vector<float> min, out Vector<float> max, out Vector<double> sum, out Vector<double> sumSquares,
        out Vector<double> reluSum, out Vector<double> reluSumSquares, out Vector<float> allFinite)
        where TRelu : struct, IReluPart
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        var vMin = Vector512.Create(float.PositiveInfinity);
        var vMax = Vector512.Create(float.NegativeInfinity);
        var finite = Vector512<float>.Zero;
        Vector512<double> sumA = default, sumB = default, sqA = default, sqB = default;
        Vector512<double> rSumA = default, rSumB = default, rSqA = default, rSqB = default;
        int i = 0;
        for (; i + 32 <= values.Length; i += 32)
        {
            var a = Vector512.LoadUnsafe(ref start, (nuint)i);
            var b = Vector512.LoadUnsafe(ref start, (nuint)i + 16);
            Add<TRelu>(a, ref vMin, ref vMax, ref finite, ref sumA, ref sqA, ref rSumA, ref rSqA);
            Add<TRelu>(b, ref vMin, ref vMax, ref finite, ref sumB, ref sqB, ref rSumB, ref rSqB);
        }
        if (i + 16 <= values.Length)
        {
            Add<TRelu>(Vector512.LoadUnsafe(ref start, (nuint)i), ref vMin, ref vMax, ref finite, ref sumA, ref sqA, ref rSumA, ref rSqA);
            i += 16;
        }
        done = i;
        min = Fold(vMin, static (x, y) => Vector128.Min(x, y));
        max = Fold(vMax, static (x, y) => Vector128.Max(x, y));
        allFinite = Fold(finite, static (x, y) => x | y);
        sum = Fold(sumA + sumB, static (x, y) => x + y);
        sumSquares = Fold(sqA + sqB, static (x, y) => x + y);
        reluSum = Fold(rSumA + rSumB, static (x, y) => x + y);
        reluSumSquares = Fold(rSqA + rSqB, static (x, y) => x + y);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Add<TRelu>(Vector512<float> v, ref Vector512<float> min, ref Vector512<float> max, ref Vector512<float> finite,
        ref Vector512<double> sum, ref Vector512<double> sumSquares, ref Vector512<double> reluSum, ref Vector512<double> reluSumSquares)
        where TRelu : struct, IReluPart
    {
        // x - x is 0 for finite x and NaN for NaN or ±infinity (see the Vector<T> loop).
        finite |= v - v;
        min = Vector512.Min(min, v);
        max = Vector512.Max(max, v);
        var (lo, hi) = Vector512.Widen(v);
        sum += lo + hi;
        sumSquares += lo * lo + hi * hi;
        if (TRelu.Enabled)
        {
            var (rLo, rHi) = Vector512.Widen(Vector512.Max(v, Vector512<float>.Zero));
            reluSum += rLo + rHi;
            reluSumSquares += rLo * rLo + rHi * rHi;
        }
    }

    /// <summary>
    /// A 512-bit accumulator as Vector&lt;T&gt; (256 bits wide unless DOTNET_PreferredVectorBitWidth says otherwise):
    /// halves combined lane by lane with <paramref name="combine"/> until the widths match.
    /// </summary>
    private static Vector<T> Fold<T>(Vector512<T> v, Func<Vector128<T>, Vector128<T>, Vector128<T>> combine) where T : struct
    {
        if (Vector<T>.Count == Vector512<T>.Count) return v.AsVector();
        var lower = v.GetLower();
        var upper = v.GetUpper();
        var half = Vector256.Create(combine(lower.GetLower(), upper.GetLower()), combine(lower.GetUpper(), upper.GetUpper()));
        if (Vector<T>.Count == Vector256<T>.Count) return half.AsVector();
        return combine(half.GetLower(), half.GetUpper()).AsVector();
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
