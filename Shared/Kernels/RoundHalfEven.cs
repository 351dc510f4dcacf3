using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>
/// Round to the nearest integer, halves to even: IEEE 754 roundToIntegralTiesToEven, which is TF's Round
/// (Eigen's scalar_round_op_google) and <see cref="MathF.Round(float)"/>. One definition for the Round op and
/// the sparse GEMM that fuses it, so both write the same bits: with AVX-512 or SSE4.1 every lane is one
/// vrndscaleps/vroundps (ties to even, ±0 and the sign of a rounded-away fraction kept, NaN quieted).
/// </summary>
/// <remarks>
/// TensorPrimitives.Round computes the same values, but it measured 1.6x slower per 784-float row once tiered
/// up and far slower before: called ten million times a run from the fused test-set product, its generic
/// layers sat in tier-0 code for seconds (perf: 13% of a training run in its span loop).
/// </remarks>
internal static unsafe class RoundHalfEven
{
    public static void Run(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"The output holds {y.Length} elements for {x.Length}.", nameof(y));
        fixed (float* px = x, py = y)
            Run(px, py, x.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* x, float* y, nint length)
    {
        nint i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= length; i += 16)
                Vector512.Round(Vector512.Load(x + i)).Store(y + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= length; i += 8)
                Vector256.Round(Vector256.Load(x + i)).Store(y + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= length; i += 4)
                Vector128.Round(Vector128.Load(x + i)).Store(y + i);
        for (; i < length; i++)
            y[i] = MathF.Round(x[i]);
    }
}

/// <summary>What a sparse gather does to each value before judging it: a type argument, so the JIT drops the unused case.</summary>
internal interface IGatherTransform
{
    static abstract Vector512<float> Apply(Vector512<float> v);
    static abstract float Apply(float v);
}

/// <summary>Values as they are.</summary>
internal struct AsStored : IGatherTransform
{
    public static Vector512<float> Apply(Vector512<float> v) => v;
    public static float Apply(float v) => v;
}

/// <summary>Values rounded as <see cref="RoundHalfEven"/> rounds them: a Round fused into the gather, in registers.</summary>
internal struct Rounded : IGatherTransform
{
    public static Vector512<float> Apply(Vector512<float> v) => Vector512.Round(v);
    public static float Apply(float v) => MathF.Round(v);
}
