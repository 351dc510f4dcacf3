using TfMnist.Kernels;
using static TfMnist.Tests.Kernels.GemmTestData;

namespace TfMnist.Tests.Kernels;

/// <summary>
/// TensorFlow's MatMul gives NaN for 0·Inf and 0·NaN. The sparse-left paths leave zeros of A out, so they must
/// give the dense path's bits when B (or A) holds Inf or NaN: a diverging run must not look healthy.
/// </summary>
public class GemmSparseNonFiniteTests
{
    private static readonly (int M, int K, int N)[] Shapes = [(7, 40, 33), (100, 784, 100), (784, 100, 100), (3, 17, 200)];

    public static TheoryData<string, bool, bool, bool> Cases() => TierTransposeAccumulateCases();

    private static float Binary(Random r) => r.NextSingle() < 0.85f ? 0f : 1f;

    /// <summary>Puts Inf, -Inf and NaN into a few entries of <paramref name="values"/>.</summary>
    private static void Poison(float[] values, int seed)
    {
        var rng = new Random(seed);
        float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        for (int t = 0; t < 3; t++) values[rng.Next(values.Length)] = specials[t];
    }

    private static void Check(string isaName, bool ta, bool tb, bool accumulate, bool poisonA, bool poisonB)
    {
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            int seed = 40;
            foreach (var (m, k, n) in Shapes)
            {
                var p = Create(m, k, n, ta, tb, seed++, Binary);
                if (poisonA) Poison(p.A, seed++);
                if (poisonB) Poison(p.B, seed++);
                var c0 = RandomC(m, n, seed);
                float[] dense = accumulate ? (float[])c0.Clone() : new float[m * n];
                float[] sparse = accumulate ? (float[])c0.Clone() : new float[m * n];
                Dense(p, dense, accumulate);
                Sparse(p, sparse, accumulate);
                Assert.Contains(dense, float.IsNaN);
                AssertBitIdentical(dense, sparse, $"{isaName} {m}x{k}x{n} tA={ta} tB={tb} acc={accumulate} A{(poisonA ? "" : " not")} poisoned");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InfAndNaNInB_GiveTheDenseNaNs(string isaName, bool ta, bool tb, bool accumulate) =>
        Check(isaName, ta, tb, accumulate, poisonA: false, poisonB: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void InfAndNaNInA_GiveTheDenseBits(string isaName, bool ta, bool tb, bool accumulate) =>
        Check(isaName, ta, tb, accumulate, poisonA: true, poisonB: false);

    [Theory]
    [MemberData(nameof(Tiers))]
    public void RoundingProductWithInfOrNaNInB_GivesTheBitsOfRoundThenDense(string isaName)
    {
        var rng = new Random(5);
        With(Enum.Parse<GemmIsa>(isaName), null, () =>
        {
            foreach (var (m, k, n) in new[] { (9, 33, 20), (64, 784, 100) })
                foreach (bool poisonX in new[] { false, true })
                {
                    var x = Enumerable.Range(0, m * k).Select(_ => rng.Next(10) < 8 ? rng.NextSingle() - 0.5f : 1.5f).ToArray();
                    var w = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
                    Poison(w, m);
                    if (poisonX) Poison(x, k);
                    var rounded = new float[m * k];
                    System.Numerics.Tensors.TensorPrimitives.Round(x, rounded);
                    var bias = Enumerable.Range(0, n).Select(j => rng.NextSingle() - 0.5f).ToArray();
                    var expected = new float[m * n];
                    Gemm.Multiply(rounded, m, k, false, w, k, n, false, expected);
                    var expectedSum = new float[m * n];
                    for (int i = 0; i < m; i++)
                        System.Numerics.Tensors.TensorPrimitives.Add(expected.AsSpan(i * n, n), bias, expectedSum.AsSpan(i * n, n));
                    var expectedRelu = new float[m * n];
                    System.Numerics.Tensors.TensorPrimitives.Max(expectedSum, 0f, expectedRelu);
                    Assert.Contains(expected, float.IsNaN);

                    var (product, sum, relu, stored) = (new float[m * n], new float[m * n], new float[m * n], new float[m * k]);
                    // False means "not computed here": the caller then runs Round and the (dense) MatMul itself.
                    if (!Gemm.MultiplySparseLeftRounding(x, m, k, stored, m, w, k, n, false, product)) continue;
                    string what = $"{isaName} {m}x{k}x{n} x{(poisonX ? "" : " not")} poisoned";
                    AssertBitIdentical(rounded, stored, $"Round {what}");
                    AssertBitIdentical(expected, product, $"product {what}");
                    Assert.True(Gemm.MultiplySparseLeftRounding(x, m, k, stored, m, w, k, n, false, sum, bias, relu));
                    AssertBitIdentical(expectedSum, sum, $"product + bias {what}");
                    AssertBitIdentical(expectedRelu, relu, $"relu {what}");
                }
        });
    }

    public static TheoryData<string> Tiers() => new(Enum.GetNames<GemmIsa>());
}
