using TfMnist.Kernels;
using static TfMnist.Tests.Kernels.GemmTestData;

namespace TfMnist.Tests.Kernels;

/// <summary>
/// The vector-tier kernels of <see cref="Gemm.Multiply"/> (blocked, <see cref="SmallNKernel"/>,
/// <see cref="SmallKKernel"/>), each forced onto every shape it can compute and left to the automatic choice,
/// against the fused-chain definition of the result bits, bit for bit.
/// </summary>
public class GemmKernelChoiceTests
{
    // M: below one vector of rows for every tier (1), below AVX2/AVX-512's (7), exactly one AVX-512 vector (16),
    // a partial last block that overlaps its neighbour (37, 100; odd for the small-K kernel's row pairs).
    // K: below, at and around the 8-column transpose chunk and the small-K limit of 16, and the network's 100.
    // N: 1..16 (the small-N kernel), 17, and, where K is short enough for the small-K kernel, rows of 2 and 7
    // AVX-512 vectors with an overlapping last vector (31, 100) and a last column block of one vector plus one
    // column (113 = 96 + 17).
    private static readonly int[] Ms = [1, 7, 16, 37, 100];
    private static readonly int[] Ks = [1, 2, 7, 8, 9, 16, 17, 100];
    private static readonly int[] Ns = [.. Enumerable.Range(1, 17)];
    private static readonly int[] WideNs = [31, 100, 113];

    public static TheoryData<string, bool, bool, bool> Cases() => GemmTestData.TierTransposeAccumulateCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void OddShapes_EveryKernel_BitIdenticalToFusedChain(string isaName, bool ta, bool tb, bool accumulate)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        int seed = 0;
        foreach (int m in Ms)
            foreach (int k in Ks)
                foreach (int n in k <= SmallKKernel.MaxK + 1 ? [.. Ns, .. WideNs] : Ns)
                {
                    var p = Create(m, k, n, ta, tb, seed++);
                    // Three sentinels past M x N; without accumulate C starts as NaN, which must not be read.
                    var c0 = accumulate ? [.. RandomC(m, n, seed), 7f, 7f, 7f] : Enumerable.Repeat(float.NaN, m * n + 3).ToArray();
                    var expected = (float[])c0.Clone();
                    FusedChain(p, expected, accumulate);
                    foreach (GemmKernel? kernel in new GemmKernel?[] { null, GemmKernel.Blocked, GemmKernel.SmallN, GemmKernel.SmallK })
                    {
                        var actual = (float[])c0.Clone();
                        With(isa, null, () => Dense(p, actual, accumulate), kernel);
                        AssertBitIdentical(expected, actual,
                            $"{isaName} kernel {kernel?.ToString() ?? "auto"} {m}x{k}x{n} tA={ta} tB={tb} acc={accumulate}");
                    }
                }
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void NetworkShapes_SplitOverThreads_EveryTier_BitIdenticalToFusedChain(bool ta, bool tb)
    {
        // The test-set forward product (10000 x 100 x 10), a row count that leaves a partial last block, and the
        // backward product's shape (K = 10) with a taller M; one part and two, every tier.
        foreach (var (m, k, n) in new[] { (10000, 100, 10), (10003, 100, 10), (10003, 10, 100) })
        {
            var p = Create(m, k, n, ta, tb, m + (ta ? 1 : 0) + (tb ? 2 : 0));
            bool accumulate = tb; // both modes, without doubling the run time
            var c0 = RandomC(m, n, 5);
            var expected = accumulate ? (float[])c0.Clone() : new float[m * n];
            FusedChain(p, expected, accumulate);
            foreach (var isa in Enum.GetValues<GemmIsa>())
                foreach (int threads in new[] { 1, 2 })
                {
                    var actual = accumulate ? (float[])c0.Clone() : new float[m * n];
                    With(isa, threads, () => Dense(p, actual, accumulate));
                    AssertBitIdentical(expected, actual, $"{isa} {m}x{k}x{n} tA={ta} tB={tb} acc={accumulate} {threads} part(s)");
                }
        }
    }

    [Fact]
    public void TestSetShape_MatchesReference()
    {
        var p = Create(10000, 100, 10, false, false, 12, r => r.NextSingle() < 0.5f ? 0f : r.NextSingle());
        var c = new float[10000 * 10];
        Dense(p, c);
        AssertMatchesReference(p, c);
    }

    [Theory]
    [InlineData(nameof(GemmIsa.Vector512))]
    [InlineData(nameof(GemmIsa.Vector256))]
    public void ChooseKernel_OutputLayerProducts(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        // op(A) = A needs the in-loop transpose, which only the AVX-512 tier does (and only where AVX exists).
        var forward = isa == GemmIsa.Vector512 && System.Runtime.Intrinsics.X86.Avx.IsSupported ? GemmKernel.SmallN : GemmKernel.Blocked;
        Assert.Equal(forward, Gemm.ChooseKernel(isa, 10000, 10, 100, transposeA: false));              // test-set H·W2
        Assert.Equal(forward, Gemm.ChooseKernel(isa, 100, 10, 100, transposeA: false));                // training H·W2
        Assert.Equal(GemmKernel.SmallN, Gemm.ChooseKernel(isa, 100, 10, 100, transposeA: true));      // dW2 = Hᵀ·dL
        Assert.Equal(GemmKernel.SmallK, Gemm.ChooseKernel(isa, 100, 100, 10, transposeA: false));     // dH = dL·W2ᵀ
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(isa, 100, 100, 784, transposeA: false));   // the hidden layer's
        Assert.Equal(GemmKernel.SmallK, Gemm.ChooseKernel(isa, 1, 100, 784, transposeA: false, transposeB: false));   // one image's
        Assert.Equal(GemmKernel.SmallK, Gemm.ChooseKernel(isa, 2, 100, 784, transposeA: false, transposeB: false));
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(isa, 3, 100, 784, transposeA: false, transposeB: false));
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(isa, 1, 100, 784, transposeA: false, transposeB: true));
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(isa, 100, 17, 100, transposeA: true));
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(isa, 100, 16, 100, transposeA: true));     // full lanes already
        Assert.Equal(isa == GemmIsa.Vector512 ? GemmKernel.SmallN : GemmKernel.Blocked,                // AVX2: two column groups
            Gemm.ChooseKernel(isa, 100, 15, 100, transposeA: true));
        Assert.Equal(GemmKernel.Blocked, Gemm.ChooseKernel(GemmIsa.Vector128, 100, 10, 100, transposeA: true));
    }

    [Fact]
    public void MatMulPrefersSparse_NotForNarrowProducts()
    {
        // A ReLU output past 60% zeros would have sent H·W2 down the sparse path, which is latency bound when N
        // is small; the narrow dense kernel is faster there at any density the network produces.
        var rng = new Random(4);
        var h = new float[100 * 100];
        for (int i = 0; i < h.Length; i++)
            h[i] = rng.NextSingle() < 0.87f ? 0f : rng.NextSingle();
        Assert.True(Gemm.MatMulPrefersSparse(h, 100, 100, n: 100));
        Assert.False(Gemm.MatMulPrefersSparse(h, 100, 100, n: 10));
    }

    [Fact]
    public void MatMulPrefersSparse_NotForOneOrTwoRows()
    {
        // One image: the sparse product would copy and check all of B; the short-K kernel reads it in place.
        var image = new float[3 * 784];
        for (int i = 0; i < image.Length; i += 9) image[i] = 1f;
        Assert.False(Gemm.MatMulPrefersSparse(image, 1, 784, n: 100));
        Assert.False(Gemm.MatMulPrefersSparse(image, 2, 784, n: 100));
        Assert.True(Gemm.MatMulPrefersSparse(image, 3, 784, n: 100));
    }
}
