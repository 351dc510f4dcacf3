using TfMnist.Kernels;

namespace TfMnist.Tests.Kernels;

public class RoundHalfEvenTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, 0.50000006f, -0.3f, 3.7f,
        8388607.5f, 8388608f, 16777215f, 1e30f, -1e30f, float.Epsilon, -float.Epsilon, 1e-40f,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
    ];

    [Fact]
    public void EveryLengthAndLane_MatchesMathFRoundBitForBit()
    {
        // Lengths 0..70 put each value in the 512-, 256- and 128-bit loops and the scalar tail in turn.
        var rng = new Random(5);
        for (int length = 0; length <= 70; length++)
        {
            var x = Enumerable.Range(0, length).Select(i => i % 3 == 0
                ? Specials[rng.Next(Specials.Length)]
                : (rng.NextSingle() - 0.5f) * (1 << rng.Next(25))).ToArray();
            var y = new float[length + 1];
            y[length] = 42f;
            RoundHalfEven.Run(x, y);
            for (int i = 0; i < length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(MathF.Round(x[i])) == BitConverter.SingleToInt32Bits(y[i]),
                    $"Round({x[i]:R}) at {i} of {length}: {y[i]:R}, expected {MathF.Round(x[i]):R}");
            Assert.Equal(42f, y[length]);
        }
    }

    [Fact]
    public void EveryQuarterAroundZero_RoundsHalvesToEven()
    {
        var x = Enumerable.Range(-4000, 8001).Select(i => i / 4f).ToArray();
        var y = new float[x.Length];
        RoundHalfEven.Run(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = MathF.Round(x[i], MidpointRounding.ToEven);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(y[i]), $"Round({x[i]}) = {y[i]}, expected {expected}");
        }
        Assert.Equal(0f, y[Array.IndexOf(x, 0.5f)]);
        Assert.Equal(2f, y[Array.IndexOf(x, 2.5f)]);
        Assert.True(float.IsNegative(y[Array.IndexOf(x, -0.25f)]), "-0.25 rounds to -0");
    }

    [Fact]
    public void ShortOutput_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => RoundHalfEven.Run(new float[5], new float[4]));
        Assert.Contains("5", error.Message);
    }
}
