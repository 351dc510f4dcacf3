using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>
/// Outputs large enough to be split over the cores (test-set sizes) give the values of the
/// element-by-element rule, whichever operand is the broadcast one.
/// </summary>
public class BinaryOpSplitTests
{
    private static NDArray Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var a = NDArray.Zeros(DType.Float, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = rng.Next(9) == 0 ? -0f : (float)(rng.NextDouble() * 6 - 3);
        return a;
    }

    private static float[] RunOp(Func<Tensor, Tensor, Tensor> op, NDArray x, NDArray y)
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var px = tf.placeholder(tf.float32, x.Shape, name: "x");
        var py = tf.placeholder(tf.float32, y.Shape, name: "y");
        using var session = new Session(g);
        return session.Run(op(px, py), (px, x), (py, y))!.Floats.ToArray();
    }

    private static void AssertBits(IEnumerable<float> expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    [Fact]
    public void AScalarOnTheLeftOfALargeOutput()
    {
        var (keep, u) = (Random(1, []), Random(2, 1601, 99));
        float k = keep.Floats[0];
        AssertBits(u.Floats.ToArray().Select(v => k - v), RunOp((x, y) => x - y, keep, u));
        AssertBits(u.Floats.ToArray().Select(v => k / v), RunOp((x, y) => x / y, keep, u));
    }

    [Fact]
    public void ARowOnEitherSideOfALargeOutput()
    {
        var (h, bias) = (Random(3, 1601, 99), Random(4, 99));
        var hv = h.Floats.ToArray();
        var bv = bias.Floats.ToArray();
        AssertBits(hv.Select((v, i) => v - bv[i % 99]), RunOp((x, y) => x - y, h, bias));
        AssertBits(hv.Select((v, i) => bv[i % 99] / v), RunOp((x, y) => x / y, bias, h));
    }

    [Fact]
    public void SameShapeAndScalarRightOfALargeOutput()
    {
        var (a, b, s) = (Random(5, 2000, 100), Random(6, 2000, 100), Random(7, []));
        var (av, bv, sv) = (a.Floats.ToArray(), b.Floats.ToArray(), s.Floats[0]);
        AssertBits(av.Select((v, i) => v * bv[i]), RunOp((x, y) => x * y, a, b));
        AssertBits(av.Select(v => v / sv), RunOp((x, y) => x / y, a, s));
    }
}
