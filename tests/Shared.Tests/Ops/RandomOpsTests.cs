using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

public class RandomOpsTests
{
    private static (double Mean, double Std) Stats(ReadOnlySpan<float> values)
    {
        double sum = 0, sumSq = 0;
        foreach (float v in values) { sum += v; sumSq += (double)v * v; }
        double mean = sum / values.Length;
        return (mean, Math.Sqrt(sumSq / values.Length - mean * mean));
    }

    [Fact]
    public void StandardNormalStatisticsOf100kSamples()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var shape = ConstOp.Vector(g, [400, 250]);
        var normal = RandomStandardNormalOp.Create(shape, seed: 3, seed2: 4);
        Assert.Equal(new Shape(400, 250), normal.Shape);
        using var s = new Session(g);
        var values = s.Run(normal)!;
        Assert.Equal(new[] { 400, 250 }, values.Shape);
        var (mean, std) = Stats(values.Floats);
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
        int beyond2 = 0;
        foreach (float v in values.Floats) if (Math.Abs(v) > 2) beyond2++;
        Assert.InRange(beyond2 / 1e5, 0.040, 0.051); // P(|z| > 2) = 0.0455
    }

    [Fact]
    public void TruncatedNormalRedrawsBeyondTwoStandardDeviations()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var normal = TruncatedNormalOp.Create(ConstOp.Vector(g, [400, 250]), seed: 3, seed2: 4, name: "truncated_normal/TruncatedNormal");
        Assert.Equal(new Shape(400, 250), normal.Shape);
        Assert.Equal(["T", "dtype", "seed", "seed2"], normal.Op.Attrs.Values.Keys.ToArray());
        using var s = new Session(g);
        var values = s.Run(normal)!;
        foreach (float v in values.Floats) Assert.InRange(v, -2f, 2f);
        var (mean, std) = Stats(values.Floats);
        Assert.InRange(mean, -0.02, 0.02);
        // N(0, 1) truncated to [-2, 2] has standard deviation 0.8796.
        Assert.InRange(std, 0.87, 0.89);
        // Redrawn, not clipped: no mass piles up at the bounds; P(1.9 < |z| <= 2 | |z| <= 2) = 0.0125.
        int nearBound = 0, atBound = 0;
        foreach (float v in values.Floats)
        {
            if (Math.Abs(v) > 1.9f) nearBound++;
            if (Math.Abs(v) == 2f) atBound++;
        }
        Assert.InRange(nearBound / 1e5, 0.010, 0.015);
        Assert.True(atBound < 3, $"{atBound} values at exactly +-2");
        Assert.True(OpRegistry.Lookup("TruncatedNormal")!.IsNotDifferentiable);
        Assert.NotEqual(values.Floats.ToArray(), s.Run(normal)!.Floats.ToArray());
    }

    [Fact]
    public void UniformStatisticsOf100kSamples()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var uniform = RandomUniformOp.Create(ConstOp.Vector(g, [100000]), seed: 1);
        using var s = new Session(g);
        var values = s.Run(uniform)!.Floats;
        foreach (float v in values) Assert.True(v is >= 0f and < 1f, $"{v} is outside [0, 1)");
        var (mean, std) = Stats(values);
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(std, Math.Sqrt(1.0 / 12) - 0.01, Math.Sqrt(1.0 / 12) + 0.01);
    }

    [Fact]
    public void CompositesScaleAndShift()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var normal = RandomOps.RandomNormal([100000], mean: 3f, stddev: 2f, seed: 11);
        var uniform = RandomOps.RandomUniform([100000], minval: -1f, maxval: 3f, seed: 12);
        using var s = new Session(g);
        var (n, u) = s.Run((normal, uniform));
        var (nm, ns) = Stats(n!.Floats);
        Assert.InRange(nm, 2.95, 3.05);
        Assert.InRange(ns, 1.96, 2.04);
        foreach (float v in u!.Floats) Assert.True(v is >= -1f and < 3f);
        var (um, us) = Stats(u.Floats);
        Assert.InRange(um, 0.97, 1.03);
        Assert.InRange(us, 4 / Math.Sqrt(12) - 0.03, 4 / Math.Sqrt(12) + 0.03);
    }

    [Fact]
    public void SameSeedGivesSameValuesAcrossSessionsAndGraphs()
    {
        NDArray Sample(int? seed, out NDArray second)
        {
            var g = new Graph();
            using var asDefault = g.AsDefault();
            var x = RandomOps.RandomNormal([64], seed: seed);
            using var s = new Session(g);
            var first = s.Run(x)!;
            second = s.Run(x)!;
            return first;
        }

        var a = Sample(42, out var a2);
        var b = Sample(42, out var b2);
        Assert.Equal(a.Floats.ToArray(), b.Floats.ToArray());
        Assert.Equal(a2.Floats.ToArray(), b2.Floats.ToArray());
        // The op's generator advances between runs, as TF's does.
        Assert.NotEqual(a.Floats.ToArray(), a2.Floats.ToArray());
        Assert.NotEqual(a.Floats.ToArray(), Sample(43, out _).Floats.ToArray());
        // No seed anywhere: nondeterministic.
        Assert.NotEqual(Sample(null, out _).Floats.ToArray(), Sample(null, out _).Floats.ToArray());
    }

    [Fact]
    public void GraphLevelSeedGivesEachOpItsOwnReproducibleStream()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = RandomOps.RandomUniform([32]);
        var y = RandomOps.RandomUniform([32]);
        NDArray?[] Run(int seed)
        {
            using var s = new Session(g) { Seed = seed };
            return s.Run([x, y]);
        }

        var first = Run(7);
        var again = Run(7);
        Assert.NotEqual(first[0]!.Floats.ToArray(), first[1]!.Floats.ToArray());
        Assert.Equal(first[0]!.Floats.ToArray(), again[0]!.Floats.ToArray());
        Assert.Equal(first[1]!.Floats.ToArray(), again[1]!.Floats.ToArray());
        Assert.NotEqual(first[0]!.Floats.ToArray(), Run(8)[0]!.Floats.ToArray());

        // An op seed wins over the graph-level seed.
        var seeded = RandomOps.RandomUniform([32], seed: 5);
        using var s1 = new Session(g) { Seed = 1 };
        using var s2 = new Session(g) { Seed = 2 };
        Assert.Equal(s1.Run(seeded)!.Floats.ToArray(), s2.Run(seeded)!.Floats.ToArray());
    }

    [Fact]
    public void RandomNormalNodesAreNamedAsTensorFlow1NamesThem()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = RandomOps.RandomNormal([784, 10], stddev: 0.1f, seed: 5);
        Assert.Equal("random_normal", x.Op.Name);
        Assert.Equal("Add", x.Op.Type);
        Assert.Equal(["random_normal/mul", "random_normal/mean"], x.Op.ToNodeDef().Input.ToArray());
        Assert.Equal(new Shape(784, 10), x.Shape);
        var rnd = g.GetOperationByName("random_normal/RandomStandardNormal");
        Assert.Equal(["T", "dtype", "seed", "seed2"], rnd.Attrs.Values.Keys.ToArray());
        Assert.Equal(RandomOps.DefaultGraphSeed, rnd.Attrs.GetInt("seed"));
        Assert.Equal(5, rnd.Attrs.GetInt("seed2"));
        Assert.Equal(DType.Float, rnd.Attrs.GetType("dtype"));
        Assert.Equal(DType.Int32, rnd.Attrs.GetType("T"));
        Assert.Equal(["random_normal/shape"], rnd.ToNodeDef().Input.ToArray());
        Assert.Equal(["random_normal/RandomStandardNormal", "random_normal/stddev"], g.GetOperationByName("random_normal/mul").ToNodeDef().Input.ToArray());
        Assert.Equal(0.1f, ConstantValue.Of(g.GetTensorByName("random_normal/stddev:0"))!.Floats[0]);
        Assert.Equal(0f, ConstantValue.Of(g.GetTensorByName("random_normal/mean:0"))!.Floats[0]);

        var unseeded = RandomOps.RandomNormal([2]);
        Assert.Equal("random_normal_1", unseeded.Op.Name);
        var rnd1 = g.GetOperationByName("random_normal_1/RandomStandardNormal");
        Assert.Equal(0, rnd1.Attrs.GetInt("seed"));
        Assert.Equal(0, rnd1.Attrs.GetInt("seed2"));
    }

    [Fact]
    public void RandomUniformNodesAreNamedAsTensorFlow1NamesThem()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var shape = ConstOp.Vector(g, [3, 4], "dims");
        var x = RandomOps.RandomUniform(shape, minval: -2f, maxval: 2f);
        Assert.Equal("random_uniform", x.Op.Name);
        Assert.Equal(["random_uniform/mul", "random_uniform/min"], x.Op.ToNodeDef().Input.ToArray());
        Assert.Equal(["dims"], g.GetOperationByName("random_uniform/RandomUniform").ToNodeDef().Input.ToArray());
        Assert.Equal(["random_uniform/max", "random_uniform/min"], g.GetOperationByName("random_uniform/sub").ToNodeDef().Input.ToArray());
        Assert.Equal(["random_uniform/RandomUniform", "random_uniform/sub"], g.GetOperationByName("random_uniform/mul").ToNodeDef().Input.ToArray());
        Assert.False(g.TryGetOperation("random_uniform/shape", out _));
        Assert.Equal(new Shape(3, 4), x.Shape);

        var y = RandomOps.RandomUniform([5]);
        Assert.Equal("random_uniform_1", y.Op.Name);
        Assert.Equal("Const", g.GetOperationByName("random_uniform_1/shape").Type);

        using var s = new Session(g);
        foreach (float v in s.Run(x)!.Floats) Assert.True(v is >= -2f and < 2f);
    }

    [Fact]
    public void RandomOpsAreNotDifferentiableAndCheckTheirShapeInput()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var dims = PlaceholderOp.Create(DType.Int32, new Shape(2), "dims");
        var x = RandomUniformOp.Create(dims);
        Assert.Equal(Shape.UnknownOfRank(2), x.Shape);
        using var s = new Session(g);
        Assert.Equal(new[] { 2, 3 }, s.Run(x, (dims, new[] { 2, 3 }))!.Shape);
        Assert.Throws<InvalidArgumentException>(() => s.Run(x, (dims, new[] { 2, -3 })));
        Assert.Throws<ShapeMismatchException>(() => RandomUniformOp.Create(ConstOp.Create(new float[] { 2 })));
        Assert.True(OpRegistry.Lookup("RandomStandardNormal")!.IsNotDifferentiable);
    }
}
