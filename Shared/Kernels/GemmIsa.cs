using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Kernels;

/// <summary>SIMD tier used by <see cref="Gemm"/>. Each tier is a correct implementation on any CPU
/// (higher tiers are merely emulated, slowly, where the hardware lacks them), so tests can force every tier.</summary>
internal enum GemmIsa
{
    Scalar = 0,
    Vector128 = 1,
    Vector256 = 2, // AVX2 + FMA
    Vector512 = 3, // AVX-512F
}

/// <summary>
/// The handful of vector operations the kernels need, abstracted so one generic kernel body serves
/// Vector512, Vector256 and Vector128 (the JIT specialises generic code per struct type argument, so
/// this costs nothing at run time). Every multiply-add is fused: a single rounding per term is what makes
/// all tiers produce bit-identical results (the sparse path too, up to the sign of a zero: see GemmSparse.cs).
/// </summary>
internal unsafe interface IVecOps<TVec> where TVec : struct
{
    static abstract int Width { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Load(float* p);
    static abstract void Store(float* p, TVec v);
    static abstract TVec Broadcast(float x);
    /// <summary>a * b + c with a single rounding.</summary>
    static abstract TVec Fma(TVec a, TVec b, TVec c);
    /// <summary>Bit i set when lane i is not equal to zero (+0 and -0 count as zero, NaN as non-zero).</summary>
    static abstract ulong NonZeroMask(TVec v);
}

internal readonly unsafe struct Vec512Ops : IVecOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector512<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NonZeroMask(Vector512<float> v) => ~Vector512.Equals(v, Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFFul;
}

internal readonly unsafe struct Vec256Ops : IVecOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector256<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NonZeroMask(Vector256<float> v) => ~Vector256.Equals(v, Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFul;
}

internal readonly unsafe struct Vec128Ops : IVecOps<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NonZeroMask(Vector128<float> v) => ~Vector128.Equals(v, Vector128<float>.Zero).ExtractMostSignificantBits() & 0xFul;
}

internal static class GemmIsaDetect
{
    /// <summary>The best tier the hardware runs natively (with fused multiply-add).</summary>
    public static readonly GemmIsa Best = Detect();

    private static GemmIsa Detect()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported)
            return GemmIsa.Vector512;
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported)
            return GemmIsa.Vector256;
        if (Vector128.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported))
            return GemmIsa.Vector128;
        return GemmIsa.Scalar;
    }
}
