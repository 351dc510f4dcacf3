using TfMnist.Kernels;

namespace TfMnist.Tests.Kernels;

/// <summary>Random operands and the reference check shared by the GEMM tests.</summary>
internal static class GemmTestData
{
    public sealed record Problem(int M, int K, int N, bool TransposeA, bool TransposeB, float[] A, float[] B)
    {
        public int ARows => TransposeA ? K : M;
        public int ACols => TransposeA ? M : K;
        public int BRows => TransposeB ? N : K;
        public int BCols => TransposeB ? K : N;
    }

    public static Problem Create(int m, int k, int n, bool ta, bool tb, int seed, Func<Random, float>? aGen = null)
    {
        var rng = new Random(seed);
        aGen ??= r => r.NextSingle() * 2 - 1;
        var a = new float[m * k];
        var b = new float[k * n];
        for (int i = 0; i < a.Length; i++)
            a[i] = aGen(rng);
        for (int i = 0; i < b.Length; i++)
            b[i] = rng.NextSingle() * 2 - 1;
        return new Problem(m, k, n, ta, tb, a, b);
    }

    public static float[] RandomC(int m, int n, int seed)
    {
        var rng = new Random(seed);
        var c = new float[m * n];
        for (int i = 0; i < c.Length; i++)
            c[i] = rng.NextSingle() * 2 - 1;
        return c;
    }

    public static void Dense(Problem p, float[] c, bool accumulate = false) =>
        Gemm.Multiply(p.A, p.ARows, p.ACols, p.TransposeA, p.B, p.BRows, p.BCols, p.TransposeB, c, accumulate);

    /// <summary>Every ISA tier x transpose_a x transpose_b x accumulate, for the kernel theories.</summary>
    public static TheoryData<string, bool, bool, bool> TierTransposeAccumulateCases()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var isa in Enum.GetNames<GemmIsa>())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (bool acc in new[] { false, true })
                        data.Add(isa, ta, tb, acc);
        return data;
    }

    public static void Sparse(Problem p, float[] c, bool accumulate = false) =>
        Gemm.MultiplySparseLeft(p.A, p.ARows, p.ACols, p.TransposeA, p.B, p.BRows, p.BCols, p.TransposeB, c, accumulate);

    /// <summary>The fused-chain definition of the result bits (<see cref="GemmReference.MultiplyFusedChain"/>).</summary>
    public static void FusedChain(Problem p, float[] c, bool accumulate = false) =>
        GemmReference.MultiplyFusedChain(p.A, p.ARows, p.ACols, p.TransposeA, p.B, p.BRows, p.BCols, p.TransposeB, c, accumulate);

    /// <summary>Asserts |c - ref| ≤ 1e-5 · (Σ|a||b| + |c0|) per element, the scale of float summation error.</summary>
    public static void AssertMatchesReference(Problem p, float[] actual, float[]? initialC = null)
    {
        var expected = initialC is null ? new float[p.M * p.N] : (float[])initialC.Clone();
        GemmReference.Multiply(p.A, p.ARows, p.ACols, p.TransposeA, p.B, p.BRows, p.BCols, p.TransposeB,
            expected, beta: initialC is null ? 0f : 1f);

        var absA = Array.ConvertAll(p.A, MathF.Abs);
        var absB = Array.ConvertAll(p.B, MathF.Abs);
        var scale = initialC is null ? new float[p.M * p.N] : Array.ConvertAll(initialC, MathF.Abs);
        GemmReference.Multiply(absA, p.ARows, p.ACols, p.TransposeA, absB, p.BRows, p.BCols, p.TransposeB,
            scale, beta: initialC is null ? 0f : 1f);

        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 * scale[i] + 1e-30;
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"C[{i / p.N},{i % p.N}] = {actual[i]}, reference {expected[i]}, tolerance {tolerance} " +
                            $"(M={p.M} K={p.K} N={p.N} tA={p.TransposeA} tB={p.TransposeB})");
        }
    }

    public static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected bit-identical {expected[i]:R}");
        }
    }

    /// <summary>Runs <paramref name="body"/> with the calling thread's forced tier / part count / kernel, then
    /// restores them.</summary>
    public static void With(GemmIsa? isa, int? threads, Action body, GemmKernel? kernel = null)
    {
        var (savedIsa, savedThreads, savedKernel) = (Gemm.ForceIsa, Gemm.ForceThreads, Gemm.ForceKernel);
        Gemm.ForceIsa = isa;
        Gemm.ForceThreads = threads;
        Gemm.ForceKernel = kernel;
        try { body(); }
        finally { (Gemm.ForceIsa, Gemm.ForceThreads, Gemm.ForceKernel) = (savedIsa, savedThreads, savedKernel); }
    }
}
