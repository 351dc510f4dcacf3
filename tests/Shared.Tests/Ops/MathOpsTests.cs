using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using static TfMnist.Tests.Ops.OpTestUtil;

namespace TfMnist.Tests.Ops;

public class MathOpsTests
{
    [Fact]
    public void RoundIsBankersRoundingAndHasNoGradient()
    {
        Equal(F([8], -2, -2, -0f, 0, 2, 2, 0, 1),
            Run(_ => RoundOp.Create(ConstOp.Create(F([8], -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.4f, 0.6f)))));
        Equal(I([2], 3, -4), Run(_ => RoundOp.Create(ConstOp.Create(I([2], 3, -4)))));
        GradientCheck.Check(x => RoundOp.Create(x[0]), [GradientCheck.Random(1, 3)], differentiable: [false]);
    }

    [Fact]
    public void FloorForwardAndNoGradient()
    {
        Equal(F([4], -2, 1, 2, -1), Run(_ => FloorOp.Create(ConstOp.Create(F([4], -1.5f, 1.5f, 2f, -0.25f)))));
        GradientCheck.Check(x => FloorOp.Create(x[0]), [GradientCheck.Random(1, 3)], differentiable: [false]);
    }

    [Fact]
    public void SquareAndSqrtForwardAndGradients()
    {
        Equal(F([3], 4, 0.25f, 9), Run(_ => SquareOp.Create(ConstOp.Create(F([3], -2, 0.5f, 3)))));
        Equal(I([3], 4, 9, 0), Run(_ => SquareOp.Create(ConstOp.Create(I([3], -2, 3, 0)))));
        Equal(F([3], 2, 3, MathF.Sqrt(2)), Run(_ => SqrtOp.Create(ConstOp.Create(F([3], 4, 9, 2)))));
        GradientCheck.Check(x => SquareOp.Create(x[0]), [GradientCheck.Random(1, 2, 3)]);
        GradientCheck.Check(x => SqrtOp.Create(x[0]), [Positive(2, 2, 3)]);
        // SqrtGrad's own gradient (second order), on positive y.
        GradientCheck.Check(x => SqrtGradOp.Create(x[0], x[1]), [Positive(3, 4), GradientCheck.Random(4, 4)]);
    }

    [Fact]
    public void SquareGradientHasTfNodes()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(2), "x");
        var y = SquareOp.Create(x);
        Gradients.GradientsBuilder.Build([y], [x]);
        var two = g.GetOperationByName("gradients/Square_grad/Const");
        Assert.Equal("gradients/Fill", two.ControlInputs.Single().Name);
        Assert.Equal("Mul", g.GetOperationByName("gradients/Square_grad/Mul").Type);
        Assert.Empty(g.GetOperationByName("gradients/Square_grad/Mul_1").ControlInputs);
    }

    [Fact]
    public void MeanForwardFloatAndInt()
    {
        var x = F([2, 2], 1, 2, 3, 4);
        Equal(F([2], 2, 3), Run(_ => MeanOp.Create(ConstOp.Create(x), [0])));
        Equal(F([2], 1.5f, 3.5f), Run(_ => MeanOp.Create(ConstOp.Create(x), [1])));
        Equal(F([], 2.5f), Run(_ => MeanOp.Create(ConstOp.Create(x), [0, 1])));
        Equal(F([2, 1], 1.5f, 3.5f), Run(_ => MeanOp.Create(ConstOp.Create(x), [-1], keepDims: true)));
        Equal(I([2], 1, 3), Run(_ => MeanOp.Create(ConstOp.Create(I([2, 2], 1, 2, 3, 4)), [1])));
    }

    [Fact]
    public void MeanGradientsKnownAndUnknownBatch()
    {
        GradientCheck.Check(x => MeanOp.Create(x[0], [1]), [GradientCheck.Random(1, 3, 4)]);
        GradientCheck.Check(x => MeanOp.Create(x[0], [0, 1]), [GradientCheck.Random(2, 3, 4)]);
        var unknownBatch = new Shape?[] { new Shape(-1, 3) };
        GradientCheck.Check(x => MeanOp.Create(x[0], [0, 1]), [GradientCheck.Random(3, 4, 3)], placeholderShapes: unknownBatch);
        GradientCheck.Check(x => MeanOp.Create(x[0], [1]), [GradientCheck.Random(4, 4, 3)], placeholderShapes: unknownBatch);
        GradientCheck.Check(x => MeanOp.Create(x[0], [0]), [GradientCheck.Random(5, 4, 3)], placeholderShapes: unknownBatch);
        GradientCheck.Check(x => SumOp.Create(x[0], [1]), [GradientCheck.Random(6, 4, 3)], placeholderShapes: unknownBatch);
    }

    [Fact]
    public void MeanGradientWithUnknownBatchBuildsTfShapeArithmetic()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 3), "x");
        var y = MeanOp.Create(x, [0, 1]);
        var dx = Gradients.GradientsBuilder.Build([y], [x])[0]!;
        Assert.Equal("gradients/Mean_grad/truediv", dx.Op.Name);
        Assert.Equal("Shape", g.GetOperationByName("gradients/Mean_grad/Shape_1").Type);
        Assert.Equal("Const", g.GetOperationByName("gradients/Mean_grad/Shape_2").Type);
        Assert.Equal("Prod", g.GetOperationByName("gradients/Mean_grad/Prod").Type);
        Assert.Equal("Prod", g.GetOperationByName("gradients/Mean_grad/Prod_1").Type);
        Assert.Equal("Maximum", g.GetOperationByName("gradients/Mean_grad/Maximum").Type);
        Assert.Equal("FloorDiv", g.GetOperationByName("gradients/Mean_grad/floordiv").Type);
        Assert.Equal("Cast", g.GetOperationByName("gradients/Mean_grad/Cast").Type);
        using var s = new Session(g);
        var value = s.Run(dx, (x, new float[4, 3]))!;
        Assert.All(value.Floats.ToArray(), v => Assert.Equal(1f / 12, v, 6));
    }

    [Fact]
    public void MaxMinProdForwardAndGradients()
    {
        var x = F([2, 3], 1, 5, 3, 7, 2, 7);
        Equal(F([2], 5, 7), Run(_ => MaxOp.Create(ConstOp.Create(x), [1])));
        Equal(F([3], 1, 2, 3), Run(_ => MinOp.Create(ConstOp.Create(x), [0])));
        Equal(I([], 7), Run(_ => MaxOp.Create(ConstOp.Create(I([2, 2], 1, 7, -3, 4)), [0, 1])));
        Equal(I([], 24), Run(_ => ProdOp.Create(ConstOp.Create(I([3], 2, 3, 4)), [0])));
        Equal(F([2], 15, 98), Run(_ => ProdOp.Create(ConstOp.Create(x), [1])));
        GradientCheck.Check(x => MaxOp.Create(x[0], [1]), [GradientCheck.Random(1, 3, 4)]);
        GradientCheck.Check(x => MinOp.Create(x[0], [0]), [GradientCheck.Random(2, 3, 4)]);
        GradientCheck.Check(x => MaxOp.Create(x[0], [0, 1]), [GradientCheck.Random(3, 3, 4)]);
        GradientCheck.Check(x => MinOp.Create(x[0], [1]), [GradientCheck.Random(4, 4, 3)], placeholderShapes: [new Shape(-1, 3)]);
    }

    [Fact]
    public void MaxGradientSplitsTiesEvenly()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(3), "x");
        var dx = Gradients.GradientsBuilder.Build([MaxOp.Create(x, [0])], [x])[0]!;
        using var s = new Session(g);
        Assert.Equal(new[] { 0.5f, 0f, 0.5f }, s.Run(dx, (x, new[] { 2f, 1f, 2f }))!.Floats.ToArray());
    }

    [Fact]
    public void ArgMaxForwardAttrsAndOutputTypes()
    {
        var x = F([2, 3], 1, 5, 3, 7, 2, 7);
        Equal(L([2], 1, 0), Run(_ => ArgMaxOp.Create(ConstOp.Create(x), 1)));
        Equal(L([3], 1, 0, 1), Run(_ => ArgMaxOp.Create(ConstOp.Create(x), 0)));
        Equal(I([2], 1, 0), Run(_ => ArgMaxOp.Create(ConstOp.Create(x), -1, DType.Int32)));
        Equal(L([], 2), Run(_ => ArgMaxOp.Create(ConstOp.Create(I([3], 1, 2, 9)), 0)));
        var g = new Graph();
        using var __ = g.AsDefault();
        var t = ArgMaxOp.Create(ConstOp.Create(x), 1);
        Assert.Equal(["T", "Tidx", "output_type"], AttrNames(t));
        Assert.Equal("ArgMax/dimension", t.Op.Inputs[1].Op.Name);
        Assert.Equal(new Shape(2), t.Shape);
    }

    [Fact]
    public void EqualBroadcastsAndIsNotDifferentiable()
    {
        Equal(B([2, 2], true, false, false, true),
            Run(_ => EqualOp.Create(ConstOp.Create(F([2, 2], 1, 2, 3, 4)), ConstOp.Create(F([2], 1, 4)))));
        Equal(B([2, 3], true, false, false, false, false, true),
            Run(_ => EqualOp.Create(ConstOp.Create(L([2, 1], 1, 3)), ConstOp.Create(L([3], 1, 2, 3)))));
        Equal(B([3], true, false, true), Run(_ => GreaterEqualOp.Create(ConstOp.Create(I([3], 2, 1, 3)), ConstOp.Create(I([], 2)))));
        Assert.True(new EqualOp().IsNotDifferentiable);
    }

    [Fact]
    public void CastBetweenTypesAndGradients()
    {
        Equal(I([3], 1, -1, 0), Run(_ => CastOp.Create(ConstOp.Create(F([3], 1.7f, -1.7f, 0.2f)), DType.Int32)));
        Equal(L([2], 3, -2), Run(_ => CastOp.Create(ConstOp.Create(F([2], 3.9f, -2.5f)), DType.Int64)));
        Equal(F([2], 3, -2), Run(_ => CastOp.Create(ConstOp.Create(I([2], 3, -2)), DType.Float)));
        Equal(F([2], 1, 0), Run(_ => CastOp.Create(ConstOp.Create(B([2], true, false)), DType.Float)));
        Equal(B([3], true, false, true), Run(_ => CastOp.Create(ConstOp.Create(F([3], 0.5f, 0, -1)), DType.Bool)));
        Equal(I([2], 5, -5), Run(_ => CastOp.Create(ConstOp.Create(L([2], 5, -5)), DType.Int32)));
        GradientCheck.Check(x => CastOp.Create(x[0], DType.Float), [GradientCheck.Random(1, 2, 3)]);
        var g = new Graph();
        using var _ = g.AsDefault();
        var c = CastOp.Create(ConstOp.Create(I([1], 1)), DType.Float);
        Assert.Equal(["DstT", "SrcT"], AttrNames(c));
        // math_ops.cast of an already-float tensor adds nothing, but takes the name.
        Assert.Same(c, CastOp.CastIfNeeded(c, DType.Float));
        Assert.Equal("Cast_2", CastOp.Create(c, DType.Int32).Op.Name);
    }

    [Fact]
    public void MaximumFloorDivFloorModForward()
    {
        Equal(F([2, 2], 1, 5, 3, 5), Run(_ => MaximumOp.Create(ConstOp.Create(F([2, 2], 1, 2, 3, 4)), ConstOp.Create(F([2], 0, 5)))));
        Equal(I([3], 2, 1, 5), Run(_ => MaximumOp.Create(ConstOp.Create(I([3], 2, 0, 5)), ConstOp.Create(I([], 1)))));
        Equal(I([4], 3, -4, -4, 3), Run(_ => FloorDivOp.Create(ConstOp.Create(I([4], 7, -7, 7, -7)), ConstOp.Create(I([4], 2, 2, -2, -2)))));
        Equal(L([2], 12, 0), Run(_ => FloorDivOp.Create(ConstOp.Create(L([2], 12, 0)), ConstOp.Create(L([], 1)))));
        Equal(F([2], 3, -4), Run(_ => FloorDivOp.Create(ConstOp.Create(F([2], 7.5f, -7.5f)), ConstOp.Create(F([], 2)))));
        Equal(I([4], 1, 1, -1, -1), Run(_ => FloorModOp.Create(ConstOp.Create(I([4], 7, -7, 7, -7)), ConstOp.Create(I([4], 2, 2, -2, -2)))));
        // Shape arithmetic on a fed shape: 12 // max(0, 1) and 12 // max(4, 1).
        Equal(I([2], 12, 3), Run(g => FloorDivOp.Create(ConstOp.Create(I([], 12)),
            MaximumOp.Create(ConstOp.Create(I([2], 0, 4)), ConstOp.Create(I([], 1))))));
    }

    [Fact]
    public void MaximumGradientsWithBroadcasting()
    {
        GradientCheck.Check(x => MaximumOp.Create(x[0], x[1]), [GradientCheck.Random(1, 2, 3), GradientCheck.Random(2, 2, 3)]);
        GradientCheck.Check(x => MaximumOp.Create(x[0], x[1]), [GradientCheck.Random(3, 2, 3), GradientCheck.Random(4, 3)]);
        GradientCheck.Check(x => MaximumOp.Create(x[0], x[1]), [GradientCheck.Random(5, 2, 1), GradientCheck.Random(6, 1, 3)]);
    }

    [Fact]
    public void MatMulForwardAllTransposes()
    {
        var a = F([2, 3], 1, 2, 3, 4, 5, 6);
        var b = F([3, 2], 7, 8, 9, 10, 11, 12);
        var expected = F([2, 2], 58, 64, 139, 154);
        var at = F([3, 2], 1, 4, 2, 5, 3, 6);
        var bt = F([2, 3], 7, 9, 11, 8, 10, 12);
        Equal(expected, Run(_ => MatMulOp.Create(ConstOp.Create(a), ConstOp.Create(b))));
        Equal(expected, Run(_ => MatMulOp.Create(ConstOp.Create(at), ConstOp.Create(b), transposeA: true)));
        Equal(expected, Run(_ => MatMulOp.Create(ConstOp.Create(a), ConstOp.Create(bt), transposeB: true)));
        Equal(expected, Run(_ => MatMulOp.Create(ConstOp.Create(at), ConstOp.Create(bt), true, true)));
        var g = new Graph();
        using var __ = g.AsDefault();
        var t = MatMulOp.Create(PlaceholderOp.Create(DType.Float, new Shape(-1, 3)), ConstOp.Create(b));
        Assert.Equal(new Shape(-1, 2), t.Shape);
        Assert.Equal(["T", "transpose_a", "transpose_b"], AttrNames(t));
        var ex = Assert.Throws<ShapeMismatchException>(() => MatMulOp.Create(ConstOp.Create(a), ConstOp.Create(a)));
        Assert.Contains("Const", ex.Message);
    }

    [Fact]
    public void MatMulKernelMatchesNaiveOnOddSizes()
    {
        var rng = new Random(7);
        foreach (var (m, k, n) in new[] { (1, 1, 1), (5, 7, 3), (17, 33, 9), (4, 0, 3) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                    var b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                    float A(int i, int p) => ta ? a[p * m + i] : a[i * k + p];
                    float Bv(int p, int j) => tb ? b[j * k + p] : b[p * n + j];
                    var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    TfMnist.Kernels.Gemm.Multiply(a, ta ? k : m, ta ? m : k, ta, b, tb ? n : k, tb ? k : n, tb, c);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                        {
                            double sum = 0;
                            for (int p = 0; p < k; p++) sum += A(i, p) * Bv(p, j);
                            Assert.True(Math.Abs(sum - c[i * n + j]) < 1e-4, $"{m}x{k}x{n} ta={ta} tb={tb} at ({i},{j})");
                        }
                }
    }

    [Fact]
    public void MatMulGradientsAllTransposes()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var a = ta ? GradientCheck.Random(1, 3, 2) : GradientCheck.Random(1, 2, 3);
                var b = tb ? GradientCheck.Random(2, 4, 3) : GradientCheck.Random(2, 3, 4);
                GradientCheck.Check(x => MatMulOp.Create(x[0], x[1], ta, tb), [a, b]);
            }
    }

    [Fact]
    public void SelectAndRange()
    {
        var c = B([4], true, false, false, true);
        Equal(F([4], 1, 20, 30, 4), Run(_ => SelectOp.Create(ConstOp.Create(c), ConstOp.Create(F([4], 1, 2, 3, 4)), ConstOp.Create(F([4], 10, 20, 30, 40)))));
        Equal(I([2, 2], 1, 2, 30, 40), Run(_ => SelectOp.Create(ConstOp.Create(B([2], true, false)),
            ConstOp.Create(I([2, 2], 1, 2, 3, 4)), ConstOp.Create(I([2, 2], 10, 20, 30, 40)))));
        GradientCheck.Check(x => SelectOp.Create(ConstOp.Create(c), x[0], x[1]), [GradientCheck.Random(1, 4), GradientCheck.Random(2, 4)]);
        Equal(I([4], 0, 1, 2, 3), Run(g => RangeOp.Range(ConstOp.Create(4, "n", g))));
        Equal(I([3], 5, 3, 1), Run(g => RangeOp.Create(ConstOp.Create(5, "a", g), ConstOp.Create(0, "b", g), ConstOp.Create(-2, "c", g))));
        Equal(F([3], 0, 0.5f, 1), Run(g => RangeOp.Create(ConstOp.Create(0f, "a", g), ConstOp.Create(1.5f, "b", g), ConstOp.Create(0.5f, "c", g))));
    }
}

/// <summary>
/// ArgMax over the last axis of float rows against a naive loop, on every path: the op (16 rows
/// at a time where AVX-512 is available) and the kernel's lane-per-row and IndexOfMax paths
/// called directly. The values have many ties, signed zeros, infinities and NaNs.
/// </summary>
public class ArgMaxReferenceTests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 0, 1, 15, 16, 17, 100, 10000 })
            foreach (int n in new[] { 1, 2, 10, 16, 17 })
                data.Add(rows, n);
        return data;
    }

    /// <summary>Mostly a handful of small integers (ties), with -0, +0, +-inf and NaNs of either sign mixed in.</summary>
    private static float[] Values(int rows, int n)
    {
        var rng = new Random(rows * 37 + n);
        float negativeNaN = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000));
        float[] special = [-0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, negativeNaN];
        var x = new float[rows * n];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.Next(20) switch
            {
                0 => special[rng.Next(special.Length)],
                1 or 2 => rng.Next(2) == 0 ? -0f : 0f, // rows of only zeros of both signs
                _ => rng.Next(-3, 4),
            };
        return x;
    }

    /// <summary>
    /// The rule the engine has always had (TensorPrimitives.IndexOfMax's): the first NaN if there is
    /// one, else the first index of the largest value, with +0 larger than -0. TF leaves NaN unspecified.
    /// </summary>
    private static int Naive(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 0; k < row.Length; k++)
        {
            if (float.IsNaN(row[k])) return k;
            bool larger = row[k] > row[best] || (row[k] == 0 && row[best] == 0 && float.IsNegative(row[best]) && !float.IsNegative(row[k]));
            if (larger) best = k;
        }
        return best;
    }

    private static int[] Expected(float[] x, int rows, int n)
    {
        var expected = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            expected[r] = Naive(x.AsSpan(r * n, n));
            // The naive loop states the rule; IndexOfMax is what the engine used before, and agrees.
            Assert.Equal(System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(x.AsSpan(r * n, n)), expected[r]);
        }
        return expected;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothKernelPathsMatchANaiveLoop(int rows, int n)
    {
        var x = Values(rows, n);
        var expected = Expected(x, rows, n);
        foreach (bool lanePerRow in new[] { false, true })
        {
            var ints = new int[rows];
            var longs = new long[rows];
            TfMnist.Kernels.ArgMaxRows.Run(x, rows, n, ints, lanePerRow);
            TfMnist.Kernels.ArgMaxRows.Run(x, rows, n, longs, lanePerRow);
            Assert.Equal(expected, ints);
            Assert.Equal(expected.Select(i => (long)i), longs);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheOpMatchesANaiveLoop(int rows, int n)
    {
        var x = Values(rows, n);
        var expected = Expected(x, rows, n);
        var input = new NDArray(DType.Float, [rows, n], x);
        Equal(new NDArray(DType.Int64, [rows], expected.Select(i => (long)i).ToArray()), Run(_ => ArgMaxOp.Create(ConstOp.Create(input), 1)));
        Equal(new NDArray(DType.Int32, [rows], expected), Run(_ => ArgMaxOp.Create(ConstOp.Create(input), -1, DType.Int32)));
    }
}
