using TfMnist.Kernels;
using static TfMnist.Tests.Kernels.GemmTestData;

namespace TfMnist.Tests.Kernels;

public class GemmTests
{
    // (M, K, N): degenerate, primes, edge remainders around the 6-row and 8/16/32-column blocks,
    // tall/skinny, and the network's shapes.
    public static readonly (int M, int K, int N)[] Shapes =
    [
        (1, 1, 1), (7, 13, 17), (6, 32, 32), (5, 3, 33), (13, 1, 31), (12, 5, 16), (2, 2, 8), (11, 7, 4),
        (61, 129, 47), (37, 64, 100), (1, 784, 100), (100, 784, 1), (1000, 3, 2), (2, 3, 1000), (3, 1000, 5),
        (18, 17, 64), (19, 31, 1024), (97, 50, 97),
        (100, 784, 100), (100, 100, 10), (784, 100, 100), (100, 10, 100), (100, 100, 784),
    ];

    public static readonly TheoryData<string> Isas = new(Enum.GetNames<GemmIsa>());

    public static TheoryData<string, bool, bool> IsaTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var isa in Enum.GetNames<GemmIsa>())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(isa, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(IsaTransposes))]
    public void MatchesReference_AllShapes(string isaName, bool transposeA, bool transposeB)
    {
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            int seed = 0;
            foreach (var (m, k, n) in Shapes)
            {
                var p = Create(m, k, n, transposeA, transposeB, seed++);
                var c = new float[m * n];
                Array.Fill(c, float.NaN); // overwrite mode must not read C
                Dense(p, c);
                AssertMatchesReference(p, c);
                var chain = new float[m * n];
                FusedChain(p, chain);
                AssertBitIdentical(chain, c, $"{isaName} {m}x{k}x{n} tA={transposeA} tB={transposeB} vs the fused chain");
            }
        });
    }

    [Theory]
    [MemberData(nameof(IsaTransposes))]
    public void Accumulate_AddsToC(string isaName, bool transposeA, bool transposeB)
    {
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            foreach (var (m, k, n) in new[] { (1, 1, 1), (7, 13, 17), (100, 784, 100), (784, 100, 100), (100, 10, 100) })
            {
                var p = Create(m, k, n, transposeA, transposeB, m + k + n);
                var c0 = RandomC(m, n, 99);
                var c = (float[])c0.Clone();
                Dense(p, c, accumulate: true);
                AssertMatchesReference(p, c, c0);
            }
        });
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void ForcedThreadCounts_AreBitIdentical(string isaName)
    {
        foreach (var (m, k, n) in new[] { (100, 784, 100), (13, 7, 40), (784, 100, 100), (1, 5, 5) })
        {
            var p = Create(m, k, n, false, false, 7);
            float[] one = new float[m * n], two = new float[m * n];
            With(Enum.Parse<GemmIsa>(isaName), 1, () => Dense(p, one));
            With(Enum.Parse<GemmIsa>(isaName), 2, () => Dense(p, two));
            AssertBitIdentical(one, two, $"{isaName} 1 vs 2 threads {m}x{k}x{n}");
        }
    }

    [Fact]
    public void AllTiers_AreBitIdentical()
    {
        // Same per-element fused chain in every tier (see Gemm remarks).
        foreach (var (m, k, n) in new[] { (100, 784, 100), (61, 129, 47), (784, 100, 100) })
        {
            var p = Create(m, k, n, m == 784, false, 3);
            var scalar = new float[m * n];
            With(GemmIsa.Scalar, null, () => Dense(p, scalar));
            foreach (var isa in new[] { GemmIsa.Vector128, GemmIsa.Vector256, GemmIsa.Vector512 })
            {
                var c = new float[m * n];
                With(isa, null, () => Dense(p, c));
                AssertBitIdentical(scalar, c, $"{isa} vs scalar {m}x{k}x{n}");
            }
        }
    }

    [Fact]
    public void TestSetForwardShape_MatchesReference()
    {
        var p = Create(10000, 784, 100, false, false, 11);
        var c = new float[10000 * 100];
        Dense(p, c);
        AssertMatchesReference(p, c);
    }

    [Fact]
    public void ZeroDimensions()
    {
        var c = new float[] { 5f, 6f };
        Gemm.Multiply([], 2, 0, false, [], 0, 1, false, c); // K = 0: C = 0
        Assert.Equal(new[] { 0f, 0f }, c);
        c = [5f, 6f];
        Gemm.Multiply([], 2, 0, false, [], 0, 1, false, c, accumulate: true);
        Assert.Equal(new[] { 5f, 6f }, c);
        Gemm.Multiply([], 0, 3, false, new float[6], 3, 2, false, c); // M = 0: nothing
        Assert.Equal(new[] { 5f, 6f }, c);
    }

    [Fact]
    public void DoesNotWritePastMxN()
    {
        var p = Create(5, 3, 7, false, false, 1);
        var c = new float[5 * 7 + 3];
        c[^1] = c[^2] = c[^3] = 42f;
        Dense(p, c);
        Assert.Equal(new[] { 42f, 42f, 42f }, c[^3..]);
    }

    [Fact]
    public void RejectsBadShapes()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 2, 3, false, b, 2, 3, false, c));      // 3 != 2
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 2, 4, false, b, 4, 2, false, c));      // A too short
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 2, 3, false, b, 3, 2, false, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(a, -1, 3, false, b, 3, 2, false, c));
        Gemm.Multiply(a, 2, 3, false, b, 3, 2, false, c);
        Gemm.Multiply(a, 3, 2, true, b, 2, 3, true, new float[9]);
    }
}
