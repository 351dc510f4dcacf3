using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>Small helpers for forward op tests: arrays of each dtype and a one-shot run.</summary>
internal static class OpTestUtil
{
    public static NDArray F(int[] shape, params float[] values) => new(DType.Float, shape, values);
    public static NDArray I(int[] shape, params int[] values) => new(DType.Int32, shape, values);
    public static NDArray L(int[] shape, params long[] values) => new(DType.Int64, shape, values);
    public static NDArray B(int[] shape, params bool[] values) => new(DType.Bool, shape, values);

    /// <summary>Builds with <paramref name="build"/> in a fresh graph and runs its result.</summary>
    public static NDArray Run(Func<Graph, Tensor> build, params FeedItem[] feeds)
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var t = build(g);
        using var s = new Session(g);
        return s.Run(t, feeds)!;
    }

    public static void Equal(NDArray expected, NDArray actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        switch (expected.DType)
        {
            case DType.Float:
                var (e, a) = (expected.Floats.ToArray(), actual.Floats.ToArray());
                for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5f * Math.Max(1, Math.Abs(e[i])), $"[{i}]: expected {e[i]}, got {a[i]}");
                break;
            case DType.Int32: Assert.Equal(expected.Ints.ToArray(), actual.Ints.ToArray()); break;
            case DType.Int64: Assert.Equal(expected.Longs.ToArray(), actual.Longs.ToArray()); break;
            case DType.Bool: Assert.Equal(expected.Bools.ToArray(), actual.Bools.ToArray()); break;
            default: throw new NotSupportedException();
        }
    }

    public static NDArray Positive(int seed, params int[] shape)
    {
        var a = GradientCheck.Random(seed, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = 0.5f + Math.Abs(a.Floats[i]);
        return a;
    }

    public static string[] AttrNames(Tensor t) => t.Op.Attrs.Values.Keys.ToArray();
}
