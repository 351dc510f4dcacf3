using TfMnist.Kernels;
using static TfMnist.Tests.Kernels.GemmTestData;

namespace TfMnist.Tests.Kernels;

/// <summary>
/// The narrow-product kernel (<see cref="SmallNKernel"/>), forced onto every shape it can take and left to the
/// automatic choice, against the fused-chain definition of the result bits, bit for bit.
/// </summary>
public class GemmSmallNTests
{
    // M: below one vector of rows for every tier (1), below AVX2/AVX-512's (7), exactly one AVX-512 vector (16),
    // a partial last block that overlaps its neighbour (37, 100). K: below, at and around the 8-column transpose
    // chunk, and the network's 100 (last chunk overlapping). N: 1..16 and 17, which the kernel never takes.
    private static readonly int[] Ms = [1, 7, 16, 37, 100];
    private static readonly int[] Ks = [1, 2, 7, 8, 9, 17, 100];

    public static TheoryData<string, bool, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var isa in Enum.GetNames<GemmIsa>())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (bool acc in new[] { false, true })
                        data.Add(isa, ta, tb, acc);
        return data;
    }

    public static readonly TheoryData<string> Isas = new(Enum.GetNames<GemmIsa>());

    [Theory]
    [MemberData(nameof(Cases))]
    public void OddShapes_BitIdenticalToFusedChain(string isaName, bool ta, bool tb, bool accumulate)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        int seed = 0;
        foreach (bool? smallN in new bool?[] { true, null })
            foreach (int m in Ms)
                foreach (int k in Ks)
                    for (int n = 1; n <= SmallNKernel.MaxN + 1; n++)
                    {
                        var p = Create(m, k, n, ta, tb, seed++);
                        // Three sentinels past M x N; without accumulate C starts as NaN, which must not be read.
                        var c0 = accumulate ? [.. RandomC(m, n, seed), 7f, 7f, 7f] : Enumerable.Repeat(float.NaN, m * n + 3).ToArray();
                        var expected = (float[])c0.Clone();
                        FusedChain(p, expected, accumulate);
                        var actual = (float[])c0.Clone();
                        With(isa, null, () => Dense(p, actual, accumulate), smallN);
                        AssertBitIdentical(expected, actual,
                            $"{isaName} small-N {smallN?.ToString() ?? "auto"} {m}x{k}x{n} tA={ta} tB={tb} acc={accumulate}");
                    }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void TestSetShape_SplitOverThreads_BitIdenticalToFusedChain(string isaName)
    {
        // The test-set forward product (10000 x 100 x 10) and a row count that leaves a partial last block,
        // on one part and split over two (each claiming row ranges), every transpose combination.
        var isa = Enum.Parse<GemmIsa>(isaName);
        foreach (int m in new[] { 10000, 10003 })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var p = Create(m, 100, 10, ta, tb, m + (ta ? 1 : 0) + (tb ? 2 : 0));
                    bool accumulate = tb; // both modes, without doubling the run time
                    var c0 = RandomC(m, 10, 5);
                    var expected = accumulate ? (float[])c0.Clone() : new float[m * 10];
                    FusedChain(p, expected, accumulate);
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var actual = accumulate ? (float[])c0.Clone() : new float[m * 10];
                        With(isa, threads, () => Dense(p, actual, accumulate));
                        AssertBitIdentical(expected, actual, $"{isaName} {m}x100x10 tA={ta} tB={tb} acc={accumulate} {threads} part(s)");
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
    public void Applies_ToTheOutputLayerProducts(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        // op(A) = A needs the in-loop transpose, which only the AVX-512 tier does (and only where AVX exists).
        bool forward = isa == GemmIsa.Vector512 && System.Runtime.Intrinsics.X86.Avx.IsSupported;
        Assert.Equal(forward, SmallNKernel.Applies(isa, 10000, 10, 100, transposeA: false)); // test-set H·W2
        Assert.Equal(forward, SmallNKernel.Applies(isa, 100, 10, 100, transposeA: false));   // training H·W2
        Assert.True(SmallNKernel.Applies(isa, 100, 10, 100, transposeA: true));              // dW2 = Hᵀ·dL
        Assert.False(SmallNKernel.Applies(isa, 100, 100, 10, transposeA: false));            // dH = dL·W2ᵀ: N = 100
        Assert.False(SmallNKernel.Applies(isa, 100, 17, 100, transposeA: true));
        Assert.False(SmallNKernel.Applies(isa, 100, 16, 100, transposeA: true));             // full lanes already
        Assert.False(SmallNKernel.Applies(GemmIsa.Scalar, 10000, 10, 100, transposeA: false));
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
}
