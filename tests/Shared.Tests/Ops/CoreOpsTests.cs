using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

public class CoreOpsTests
{
    [Fact]
    public void AddBroadcastsABiasRowAndHasTheRightGradients()
    {
        GradientCheck.Check(x => x[0] + x[1], [GradientCheck.Random(1, 3, 4), GradientCheck.Random(2, 4)]);
        GradientCheck.Check(x => x[0] + x[1], [GradientCheck.Random(3, 3, 1), GradientCheck.Random(4, 1, 4)]);
        GradientCheck.Check(x => AddOp.Create(x[0], x[1]), [GradientCheck.Random(5, 2, 3), GradientCheck.Random(6)]);
    }

    [Fact]
    public void AddForwardMatchesHandComputedValues()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var a = ConstOp.Create(new float[,] { { 1, 2 }, { 3, 4 } });
        var b = ConstOp.Create(new[] { 10f, 20f });
        using var s = new Session(g);
        Assert.Equal(new[] { 11f, 22f, 13f, 24f }, s.Run(a + b)!.Floats.ToArray());
    }

    [Fact]
    public void SubMulDivNegGradients()
    {
        GradientCheck.Check(x => x[0] - x[1], [GradientCheck.Random(1, 2, 3), GradientCheck.Random(2, 3)]);
        GradientCheck.Check(x => x[0] * x[1], [GradientCheck.Random(3, 2, 3), GradientCheck.Random(4, 2, 3)]);
        GradientCheck.Check(x => x[0] * x[1], [GradientCheck.Random(5, 2, 3), GradientCheck.Random(6, 1, 3)]);
        var positive = GradientCheck.Random(8, 2, 3);
        for (int i = 0; i < positive.Size; i++) positive.Floats[i] = 1.5f + positive.Floats[i];
        GradientCheck.Check(x => x[0] / x[1], [GradientCheck.Random(7, 2, 3), positive]);
        GradientCheck.Check(x => -x[0], [GradientCheck.Random(9, 4)]);
    }

    [Fact]
    public void SumReshapeTileAddNGradients()
    {
        GradientCheck.Check(x => SumOp.Create(x[0], [1]), [GradientCheck.Random(1, 3, 4)]);
        GradientCheck.Check(x => SumOp.Create(x[0], [0, 1]), [GradientCheck.Random(2, 3, 4)]);
        GradientCheck.Check(x => ReshapeOp.Create(x[0], [4, -1]), [GradientCheck.Random(3, 2, 6)]);
        GradientCheck.Check(x => TileOp.Create(x[0], ConstOp.Vector(x[0].Graph, [2, 3])), [GradientCheck.Random(4, 2, 2)]);
        GradientCheck.Check(x => AddNOp.Create([x[0], x[1], x[0]]), [GradientCheck.Random(5, 3), GradientCheck.Random(6, 3)]);
    }
}

public class LargeElementwiseTests
{
    [Theory]
    [InlineData(3000, 100)]   // split by rows of a bias
    [InlineData(1, 300_001)]  // same-size and scalar operands, odd length
    public void LargeBinaryOpsSplitOverCoresGiveTheSerialResult(int rows, int cols)
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var rng = new Random(3);
        var x = new float[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
        var bias = Enumerable.Range(0, cols).Select(i => i * 0.25f).ToArray();
        var xt = ConstOp.Create(new NDArray(DType.Float, [rows, cols], x));
        var bt = ConstOp.Create(new NDArray(DType.Float, [cols], bias));
        var st = ConstOp.Create(2f);
        using var s = new Session(g);
        var sum = s.Run(xt + bt)!.Floats;
        var product = s.Run(xt * xt)!.Floats;
        var scaled = s.Run(RealDivOp.Create(xt, st))!.Floats;
        var rounded = s.Run(RoundOp.Create(xt))!.Floats;
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] + bias[i % cols], sum[i]);
            Assert.Equal(x[i] * x[i], product[i]);
            Assert.Equal(x[i] / 2f, scaled[i]);
            Assert.Equal(MathF.Round(x[i]), rounded[i]);
        }
    }
}
