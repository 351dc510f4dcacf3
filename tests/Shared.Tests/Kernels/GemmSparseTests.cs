using TfMnist.Kernels;
using static TfMnist.Tests.Kernels.GemmTestData;

namespace TfMnist.Tests.Kernels;

public class GemmSparseTests
{
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (1, 1, 1), (7, 13, 17), (100, 784, 100), (784, 100, 100), (61, 129, 47), (5, 33, 3), (3, 17, 200),
        (100, 100, 10), (100, 784, 16), (100, 784, 8), (20, 784, 4),
    ];

    public static TheoryData<string, bool, bool, bool> Cases() => GemmTestData.TierTransposeAccumulateCases();

    private static void CheckBitIdentical(string isaName, bool ta, bool tb, bool accumulate, Func<Random, float> aGen, string what)
    {
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            int seed = 100;
            foreach (var (m, k, n) in Shapes)
            {
                var p = Create(m, k, n, ta, tb, seed++, aGen);
                var c0 = RandomC(m, n, seed);
                float[] dense = accumulate ? (float[])c0.Clone() : new float[m * n];
                float[] sparse = accumulate ? (float[])c0.Clone() : new float[m * n];
                Dense(p, dense, accumulate);
                Sparse(p, sparse, accumulate);
                AssertBitIdentical(dense, sparse, $"{what} {isaName} {m}x{k}x{n} tA={ta} tB={tb} acc={accumulate}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BinaryEightyPercentZeros_BitIdenticalToDense(string isaName, bool ta, bool tb, bool accumulate) =>
        CheckBitIdentical(isaName, ta, tb, accumulate, r => r.NextSingle() < 0.8f ? 0f : 1f, "80% zeros");

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllZeros_BitIdenticalToDense(string isaName, bool ta, bool tb, bool accumulate) =>
        CheckBitIdentical(isaName, ta, tb, accumulate, _ => 0f, "all zeros");

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllOnes_BitIdenticalToDense(string isaName, bool ta, bool tb, bool accumulate) =>
        CheckBitIdentical(isaName, ta, tb, accumulate, _ => 1f, "all ones");

    [Theory]
    [MemberData(nameof(Cases))]
    public void SparseRealValues_BitIdenticalToDense(string isaName, bool ta, bool tb, bool accumulate) =>
        CheckBitIdentical(isaName, ta, tb, accumulate, r => r.NextSingle() < 0.7f ? 0f : r.NextSingle() * 2 - 1, "70% zeros, real");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SingleRowAndRowPairKernels_BitIdenticalToDense(bool accumulate)
    {
        // Row pairs (AVX-512) add 0·b wherever only the other row is non-zero; the single-row kernel does not.
        // Both must give the dense bits. (Toggling the switch cannot disturb tests running alongside: both
        // settings give the same bits.)
        bool saved = SparseRows.PairRows;
        try
        {
            foreach (bool pairs in new[] { false, true })
            {
                SparseRows.PairRows = pairs;
                CheckBitIdentical(nameof(GemmIsa.Vector512), false, false, accumulate, r => r.NextSingle() < 0.8f ? 0f : 1f, $"pairs={pairs}");
                CheckBitIdentical(nameof(GemmIsa.Vector512), false, true, accumulate, r => r.NextSingle() < 0.7f ? 0f : r.NextSingle() * 2 - 1, $"pairs={pairs}");
            }
        }
        finally
        {
            SparseRows.PairRows = saved;
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void RoundingProduct_GivesTheBitsOfRoundThenDense(string isaName)
    {
        // Every vector tier and column count (scalar rows, 128/256/512-bit, row pairs, odd last row): Round's
        // output as TensorPrimitives.Round writes it, and the dense product of it.
        var rng = new Random(17);
        float[] special = [0.5f, -0.5f, 1.5f, 2.5f, -0.3f, 3.7f];
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            foreach (var (m, k, n) in new[] { (7, 40, 3), (9, 33, 5), (31, 48, 12), (41, 40, 20), (64, 784, 100), (3, 17, 200) })
            {
                var x = Enumerable.Range(0, m * k).Select(_ => rng.Next(10) < 7 ? rng.NextSingle() - 0.5f : special[rng.Next(special.Length)]).ToArray();
                var w = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
                var expectedRounded = new float[m * k];
                System.Numerics.Tensors.TensorPrimitives.Round(x, expectedRounded);
                var expected = new float[m * n];
                Gemm.Multiply(expectedRounded, m, k, false, w, k, n, false, expected);
                // All rows stored, and only a prefix (what an image summary reads): rows past it stay untouched.
                foreach (int roundedRows in new[] { m, m / 3 })
                {
                    var rounded = Enumerable.Repeat(float.NaN, m * k).ToArray();
                    var product = new float[m * n];
                    bool ran = Gemm.MultiplySparseLeftRounding(x, m, k, rounded, roundedRows, w, k, n, false, product);
                    Assert.Equal(isaName != nameof(GemmIsa.Scalar), ran);
                    if (!ran) continue;
                    string what = $"{isaName} {m}x{k}x{n}, {roundedRows} rows stored";
                    AssertBitIdentical(expectedRounded[..(roundedRows * k)], rounded[..(roundedRows * k)], $"Round {what}");
                    Assert.All(rounded[(roundedRows * k)..], v => Assert.True(float.IsNaN(v), $"a row past the stored ones was written ({what})"));
                    AssertBitIdentical(expected, product, $"product {what}");

                    // With the epilogue: + bias, then max(., 0), as the Add and Relu ops compute them.
                    var bias = Enumerable.Range(0, n).Select(j => j % 5 == 0 ? -0f : rng.NextSingle() - 0.5f).ToArray();
                    var sum = new float[m * n];
                    var relu = new float[m * n];
                    Assert.True(Gemm.MultiplySparseLeftRounding(x, m, k, rounded, roundedRows, w, k, n, false, sum, bias, relu));
                    var expectedSum = new float[m * n];
                    for (int i = 0; i < m; i++)
                        System.Numerics.Tensors.TensorPrimitives.Add(expected.AsSpan(i * n, n), bias, expectedSum.AsSpan(i * n, n));
                    var expectedRelu = new float[m * n];
                    System.Numerics.Tensors.TensorPrimitives.Max(expectedSum, 0f, expectedRelu);
                    AssertBitIdentical(expectedSum, sum, $"product + bias {what}");
                    AssertBitIdentical(expectedRelu, relu, $"relu {what}");
                }
            }
        });
    }

    [Fact]
    public void RoundingProductWithAnEmptyInnerDimensionIsTheBiasAndItsRelu()
    {
        var bias = Enumerable.Range(0, 20).Select(j => j % 3 == 0 ? -0f : j - 9.5f).ToArray();
        var (sum, relu, rounded) = (new float[3 * 20], new float[3 * 20], Array.Empty<float>());
        Assert.True(Gemm.MultiplySparseLeftRounding([], 3, 0, rounded, 3, [], 0, 20, false, sum, bias, relu));
        var expectedSum = new float[20];
        System.Numerics.Tensors.TensorPrimitives.Add(new float[20], bias, expectedSum); // 0 + -0 is +0
        var expectedRelu = new float[20];
        System.Numerics.Tensors.TensorPrimitives.Max(expectedSum, 0f, expectedRelu);
        for (int i = 0; i < 3; i++)
        {
            AssertBitIdentical(expectedSum, sum[(i * 20)..((i + 1) * 20)], $"row {i} sum");
            AssertBitIdentical(expectedRelu, relu[(i * 20)..((i + 1) * 20)], $"row {i} relu");
        }
    }

    public static TheoryData<string> Tiers() => new(Enum.GetNames<GemmIsa>());

    [Fact]
    public void TestSetForwardShape_BitIdenticalToDense()
    {
        var p = Create(10000, 784, 100, false, false, 5, r => r.NextSingle() < 0.8f ? 0f : 1f);
        float[] dense = new float[10000 * 100], sparse = new float[10000 * 100];
        Dense(p, dense);
        Sparse(p, sparse);
        AssertBitIdentical(dense, sparse, "10000x784x100");
    }

    [Fact]
    public void MatchesReference()
    {
        var p = Create(100, 784, 100, false, false, 8, r => r.NextSingle() < 0.8f ? 0f : 1f);
        var c = new float[100 * 100];
        Sparse(p, c);
        AssertMatchesReference(p, c);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SplitOverTwoParts_BitIdenticalToDense(bool transposeA)
    {
        // Each part gathers its own rows (or, transposed, its own range of C's rows): same bits as one part.
        var p = Create(transposeA ? 784 : 1000, transposeA ? 100 : 784, 100, transposeA, false, 9, r => r.NextSingle() < 0.87f ? 0f : 1f);
        float[] dense = new float[p.M * p.N], sparse = new float[p.M * p.N];
        Dense(p, dense);
        With(null, 2, () => Sparse(p, sparse));
        AssertBitIdentical(dense, sparse, $"two parts tA={transposeA}");
    }

    [Fact]
    public void MatMulPrefersSparse_OnlyForMostlyZeroLeftOperands()
    {
        var rng = new Random(3);
        float[] binarised = new float[100 * 784], dense = new float[100 * 784], half = new float[100 * 784];
        for (int i = 0; i < binarised.Length; i++)
        {
            binarised[i] = rng.NextSingle() < 0.87f ? 0f : 1f;
            dense[i] = rng.NextSingle() - 0.5f;
            half[i] = rng.NextSingle() < 0.5f ? 0f : 1f;
        }
        Assert.True(Gemm.MatMulPrefersSparse(binarised, 100, 784));
        Assert.False(Gemm.MatMulPrefersSparse(dense, 100, 784));
        Assert.False(Gemm.MatMulPrefersSparse(half, 100, 784));
        Assert.False(Gemm.MatMulPrefersSparse(new float[4 * 4], 4, 4)); // too small to be worth a look
    }

    [Fact]
    public void ZeroFraction_CountsSignedZeros()
    {
        Assert.Equal(0.5, Gemm.ZeroFraction([0f, -0f, 1f, float.NaN]));
        Assert.Equal(10.0 / 19, Gemm.ZeroFraction([.. new float[10], .. Enumerable.Repeat(2f, 9)])); // vector body and tail
        Assert.Equal(0.0, Gemm.ZeroFraction([]));
    }
}
