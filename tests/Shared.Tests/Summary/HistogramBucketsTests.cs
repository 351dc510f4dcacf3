using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public class HistogramBucketsTests
{
    [Fact]
    public void DefaultLimits_AreTheTensorFlowTable()
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        Assert.Equal(1551, limits.Length);
        Assert.Equal(-double.MaxValue, limits[0]);
        Assert.Equal(double.MaxValue, limits[^1]);
        Assert.Equal(0.0, limits[775]);
        Assert.Equal(1e-12, limits[776]);
        Assert.Equal(-1e-12, limits[774]);
        Assert.Equal(1e-12 * 1.1, limits[777]);
        // The largest finite limit is the last product below 1e20 (1e-12 * 1.1^773 ~ 9.92e19).
        Assert.InRange(limits[^2], 1e20 / 1.1, 1e20);
        Assert.Equal(-limits[^2], limits[1]);
        for (int i = 1; i < limits.Length; i++) Assert.True(limits[i] > limits[i - 1], $"limits not increasing at {i}");
        for (int i = 1; i < 775; i++) Assert.Equal(-limits[1550 - i], limits[i]);
    }

    [Fact]
    public void IndexOf_EqualsUpperBoundSearch_OnMillionsOfValues()
    {
        double[] limits = HistogramBuckets.Limits.ToArray();
        var rng = new Random(12345);
        int checkedCount = 0;
        void Check(double v)
        {
            int expected = HistogramOracle.UpperBound(limits, v);
            int actual = HistogramBuckets.IndexOf(v);
            if (expected != actual) Assert.Fail($"value {v:R}: expected bucket {expected}, got {actual}");
            checkedCount++;
        }

        // Every limit exactly, its float rounding, and its immediate neighbours: the values
        // where a log-based estimate is most likely to land one bucket off.
        foreach (double limit in limits)
        {
            Check(limit);
            Check(Math.BitIncrement(limit));
            Check(Math.BitDecrement(limit));
            Check((float)limit);
            Check(Math.BitIncrement((float)limit));
            Check(Math.BitDecrement((float)limit));
        }
        foreach (double v in new[] { 0.0, -0.0, double.Epsilon, -double.Epsilon, float.Epsilon, -float.Epsilon, 1.0, -1.0, float.MaxValue, -float.MaxValue, 1e20, -1e20, 1e-12, -1e-12 })
            Check(v);

        Span<byte> bits = stackalloc byte[4];
        for (int i = 0; i < 1_000_000; i++)
        {
            // Arbitrary bit patterns cover denormals, tiny and huge magnitudes of both signs.
            rng.NextBytes(bits);
            float f = BitConverter.ToSingle(bits);
            if (float.IsFinite(f)) Check(f);
            // Log-uniform magnitudes across the whole bucketed range and a bit beyond.
            double magnitude = Math.Pow(10, rng.NextDouble() * 36 - 14);
            Check(rng.Next(2) == 0 ? magnitude : -magnitude);
            // Typical weights and activations.
            Check((float)(rng.NextDouble() * 2 - 1));
        }
        Assert.True(checkedCount > 2_500_000);
    }
}
