using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Kernels;

/// <summary>
/// exp and log on 16 floats at once, for kernels that need them per element (softmax cross
/// entropy). Not <see cref="Vector512.Exp(Vector512{float})"/>: .NET's widens to double, which
/// made it 3-7x slower here, is up to ~1.8 ulp off (exp(0) = 1.0000001) and its float log up
/// to ~2.2 ulp. These stay in float with Cephes' polynomials and FMA, and use AVX-512's
/// vscalefps / vgetexpps / vgetmantps for the power-of-two parts. Callers check
/// <see cref="Avx512F.IsSupported"/>.
/// </summary>
internal static class Vector512Math
{
    /// <summary>
    /// e^x within 1 ulp (measured against double over [-104, 0]), exactly 1 at 0, subnormal
    /// results rounded once, 0 below about -103.97 and at -inf, inf above about 88.72, NaN for NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // Clamp so that -inf and +inf do not turn into inf - inf = NaN in the reduction below;
        // e^-104 and e^89 already round to 0 and inf. maxps/minps return their second operand when
        // either is NaN, so with x second a NaN passes through.
        x = Avx512F.Max(Vector512.Create(-104f), Avx512F.Min(Vector512.Create(89f), x));
        // x = n ln2 + r with |r| <= ln2 / 2; ln2 in two parts so that r keeps its low bits.
        var n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693147182464599609375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(1.904654299957768e-09f), r);
        // e^r = 1 + r + r^2 p(r) (Cephes expf).
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var y = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        // y * 2^n in one instruction, with correct overflow to inf and gradual underflow.
        return Avx512F.Scale(y, n);
    }

    /// <summary>
    /// ln x within 1 ulp (measured against double) for positive normal x; NaN for NaN. Other inputs
    /// (zero, negative, subnormal, infinite) are not handled: the callers take logs of sums of
    /// exponentials, which are at least 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)), where Cephes' polynomial is fitted.
        var m = Avx512F.GetMantissa(x, 0); // in [1, 2)
        var e = Avx512F.GetExponent(x);
        var high = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
        m = Vector512.ConditionalSelect(high, m * 0.5f, m);
        e = Vector512.ConditionalSelect(high, e + Vector512<float>.One, e);
        var f = m - Vector512<float>.One;
        var z = f * f;
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(7.0376836292e-2f), f, Vector512.Create(-1.1514610310e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.1676998740e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.2420140846e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.4249322787e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.6668057665e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.0000714765e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-2.4999993993e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(3.3333331174e-1f));
        // ln x = f - f^2/2 + f^3 p(f) + e ln2, with ln2 in two parts (the high one exact in 9 bits).
        var y = p * f * z;
        y = Vector512.FusedMultiplyAdd(e, Vector512.Create(-2.12194440e-4f), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(0.693359375f), f + y);
    }
}
