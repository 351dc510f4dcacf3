using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public class HistogramTests
{
    [Fact]
    public void SmallInput_EncodesHandComputedBuckets()
    {
        // Buckets by hand (1e-12 * 1.1^k): -1.5 lies in [-1.1^295e-12, -1.1^294e-12) ~
        // [-1.625, -1.477); 0 and -0 lie in [0, 1e-12); 2 in [1.1^297e-12, 1.1^298e-12) ~
        // [1.966, 2.163); 3e30 above the last finite limit, in the DBL_MAX bucket.
        float[] values = [0f, -1.5f, -0f, 2f, 0f, 3e30f];
        HistogramProto p = new Histogram().Summarize(values, "h");

        Assert.Equal(-1.5, p.Min);
        Assert.Equal((double)3e30f, p.Max);
        Assert.Equal(6, p.Num);
        Assert.Equal((double)3e30f, p.Sum); // -1.5 + 2 = 0.5 vanishes next to 3e30
        Assert.Equal((double)3e30f * 3e30f, p.SumSquares, (double)3e30f * 3e30f * 1e-15);

        // Empty runs collapse to one zero entry carrying the run's last limit.
        Assert.Equal([0, 1, 0, 3, 0, 1, 0, 1], p.Bucket);
        var l = p.BucketLimit;
        Assert.Equal(8, l.Count);
        Assert.InRange(l[0], -1.63, -1.62);   // last limit of the empty run before -1.5
        Assert.InRange(l[1], -1.48, -1.47);   // -1.5's bucket
        Assert.Equal(0.0, l[2]);              // last limit of the run before 0's bucket
        Assert.Equal(1e-12, l[3]);            // 0's bucket (and -0's)
        Assert.InRange(l[4], 1.96, 1.97);
        Assert.InRange(l[5], 2.16, 2.17);     // 2's bucket
        Assert.InRange(l[6], 9.9e19, 1e20);   // largest finite limit, ~9.92e19
        Assert.Equal(double.MaxValue, l[7]);  // 3e30's bucket
    }

    [Fact]
    public void EmptyInput_EncodesTensorFlowsEmptyHistogram()
    {
        HistogramProto p = new Histogram().Summarize([], "empty");
        Assert.Equal(double.MaxValue, p.Min);
        Assert.Equal(-double.MaxValue, p.Max);
        Assert.Equal(0, p.Num);
        Assert.Equal([double.MaxValue], p.BucketLimit);
        Assert.Equal([0.0], p.Bucket);
    }

    [Fact]
    public void LargeInput_MatchesNaiveAccumulation_AndReusesState()
    {
        var rng = new Random(3);
        // An odd length exercises both the vector loop and the scalar tail.
        float[] values = new float[100_003];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-15, 25)));
        var histogram = new Histogram();
        histogram.Summarize(Enumerable.Repeat(5f, 1000).ToArray(), "warmup");
        HistogramProto p = histogram.Summarize(values, "w");

        var naive = new long[HistogramBuckets.Count];
        double sum = 0, sumSquares = 0;
        foreach (float f in values)
        {
            naive[HistogramOracle.UpperBound(HistogramBuckets.Limits, f)]++;
            sum += f;
            sumSquares += (double)f * f;
        }
        Assert.Equal(naive, HistogramOracle.DecodeCounts(p));
        Assert.Equal(values.Length, p.Num);
        Assert.Equal(values.Min(), p.Min);
        Assert.Equal(values.Max(), p.Max);
        Assert.Equal(sum, p.Sum, Math.Abs(sum) * 1e-9 + 1e-9);
        Assert.Equal(sumSquares, p.SumSquares, sumSquares * 1e-12);
        AssertCollapsed(p);
    }

    [Theory]
    [InlineData(3, float.NaN, "Nan in summary histogram for: layer1/weights")]
    [InlineData(40, float.NaN, "Nan in summary histogram for: layer1/weights")]
    [InlineData(41, float.PositiveInfinity, "Infinity in summary histogram for: layer1/weights")]
    [InlineData(0, float.NegativeInfinity, "Infinity in summary histogram for: layer1/weights")]
    public void NonFiniteValue_IsAnErrorNamingTheTag(int position, float bad, string message)
    {
        var histogram = new Histogram();
        float[] values = Enumerable.Range(0, 42).Select(i => (float)i).ToArray();
        values[position] = bad;
        var ex = Assert.Throws<NonFiniteSummaryException>(() => histogram.Add(values, "layer1/weights"));
        Assert.StartsWith(message, ex.Message);
        Assert.Equal("layer1/weights", ex.Tag); // the Trainer's divergence line names it
        Assert.Equal(bad, ex.Value);
        Assert.Equal(0, histogram.Count); // the failed call added nothing
    }

    /// <summary>No two zero entries in a row, and every zero entry's run ends right before the
    /// next entry's bucket: the shape TF's encoder gives.</summary>
    internal static void AssertCollapsed(HistogramProto p)
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        for (int e = 0; e < p.Bucket.Count; e++)
        {
            if (p.Bucket[e] != 0) continue;
            if (e + 1 == p.Bucket.Count)
            {
                Assert.Equal(double.MaxValue, p.BucketLimit[e]);
                continue;
            }
            Assert.NotEqual(0, p.Bucket[e + 1]);
            Assert.Equal(limits.IndexOf(p.BucketLimit[e]) + 1, limits.IndexOf(p.BucketLimit[e + 1]));
        }
    }
}

public class LargeHistogramTests
{
    [Fact]
    public void SplittingALargeArrayOverCoresGivesTheSerialHistogram()
    {
        var rng = new Random(9);
        int length = 2 * TfMnist.Kernels.ParallelSplit.MinParallelLength + 77;
        var values = new float[length + 10];
        for (int i = 0; i < length; i++) values[i] = rng.Next(3) == 0 ? 0f : (float)(rng.NextDouble() * 4 - 1);
        var serial = new Histogram().Summarize(values.AsSpan(0, length), "t");
        var split = new Histogram().Summarize(values, length, "t");
        Assert.Equal(serial.BucketLimit, split.BucketLimit);
        Assert.Equal(serial.Bucket, split.Bucket);
        Assert.Equal((serial.Min, serial.Max, serial.Num), (split.Min, split.Max, split.Num));
        Assert.Equal(serial.Sum, split.Sum, 6);
        Assert.Equal(serial.SumSquares, split.SumSquares, 6);
        values[length - 1] = float.NaN;
        Assert.Contains("t", Assert.ThrowsAny<Exception>(() => new Histogram().Summarize(values, length, "t")).Message);
    }
}
