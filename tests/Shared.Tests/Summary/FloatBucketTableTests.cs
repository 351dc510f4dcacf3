using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>The table-driven float path must give exactly the upper-bound search's bucket.</summary>
public class FloatBucketTableTests
{
    [Fact]
    public void AgreesWithTheSearchOnEveryLimitNeighbourAndOnRandomBits()
    {
        var values = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, 1e-12f, -1e-12f };
        foreach (double limit in HistogramBuckets.Limits)
        {
            float f = (float)limit;
            if (!float.IsFinite(f)) continue;
            values.AddRange([f, MathF.BitIncrement(f), MathF.BitDecrement(f), -f, -MathF.BitIncrement(f), -MathF.BitDecrement(f)]);
        }
        var rng = new Random(42);
        for (int i = 0; i < 2_000_000; i++)
        {
            float f = BitConverter.Int32BitsToSingle(rng.Next() | (rng.Next(2) << 31));
            if (float.IsFinite(f)) values.Add(f);
        }
        for (int i = 0; i < 200_000; i++) values.Add((float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-14, 22))));
        foreach (float v in values)
            Assert.True(HistogramBuckets.IndexOf(v) == FloatBucketTable.IndexOf(v), $"value {v:R} (bits {BitConverter.SingleToInt32Bits(v):X8})");
        // The vector path (packed entries, gathered) on the limit neighbours one by one, and on everything at once.
        foreach (float v in values.Take(8 + 6 * HistogramBuckets.Count))
            Assert.True(HistogramBuckets.IndexOf(v) == CountedBucket(v), $"counted value {v:R} (bits {BitConverter.SingleToInt32Bits(v):X8})");
        AssertCountsMatchSearch(values.ToArray());
    }

    /// <summary>The bucket <see cref="FloatBucketTable.Count"/> puts <paramref name="v"/> in, given 64 copies (the vector path's minimum).</summary>
    private static int CountedBucket(float v)
    {
        var counts = new long[HistogramBuckets.Count];
        FloatBucketTable.Count(Enumerable.Repeat(v, 64).ToArray(), counts, new int[4 * HistogramBuckets.Count]);
        return Array.FindIndex(counts, c => c == 64);
    }

    private static void AssertCountsMatchSearch(float[] values)
    {
        var counts = new long[HistogramBuckets.Count];
        FloatBucketTable.Count(values, counts, new int[4 * HistogramBuckets.Count]);
        var expected = new long[HistogramBuckets.Count];
        foreach (float v in values) expected[HistogramBuckets.IndexOf(v)]++;
        Assert.Equal(expected, counts);
    }

    [Fact]
    public void AgreesWithTheSearchAroundEveryCellBoundary()
    {
        // The table's cells start at each float whose low 19 bits are zero: every cell start,
        // the floats right beside it and its middle, of both signs, including the cells far
        // below 1e-12 and above 1e20 that hold no limit.
        for (int cell = 0; cell < 1 << 12; cell++)
        {
            int bits = cell << 19;
            foreach (int b in new[] { bits, bits + 1, bits - 1, bits + (1 << 18) })
            {
                if (b < 0) continue;
                float f = BitConverter.Int32BitsToSingle(b);
                if (!float.IsFinite(f)) continue;
                Assert.True(HistogramBuckets.IndexOf(f) == FloatBucketTable.IndexOf(f), $"value {f:R}");
                Assert.True(HistogramBuckets.IndexOf(-f) == FloatBucketTable.IndexOf(-f), $"value {-f:R}");
                Assert.True(HistogramBuckets.IndexOf(f) == CountedBucket(f), $"counted value {f:R}");
                Assert.True(HistogramBuckets.IndexOf(-f) == CountedBucket(-f), $"counted value {-f:R}");
            }
        }
    }

    [Fact]
    public void CountMatchesIndexOf()
    {
        var rng = new Random(7);
        var values = Enumerable.Range(0, 10_000).Select(_ => (float)(rng.NextDouble() - 0.5) * 3).ToArray();
        var counts = new long[HistogramBuckets.Count];
        FloatBucketTable.Count(values, counts, new int[4 * HistogramBuckets.Count]);
        var expected = new long[HistogramBuckets.Count];
        foreach (float v in values) expected[HistogramBuckets.IndexOf(v)]++;
        Assert.Equal(expected, counts);
    }

    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(0.5, 10_000)]
    [InlineData(0.95, 4_099)]   // past one 1024-value block, with a ragged tail
    [InlineData(1.0, 3_000)]
    [InlineData(0.5, 63)]       // below the zero-skipping path's minimum
    public void CountWithManyZerosMatchesIndexOf(double zeroFraction, int length)
    {
        // ReLU-like data: exact zeros (both signs) skip the lookup but must land in 0's bucket.
        var rng = new Random(length);
        var values = Enumerable.Range(0, length).Select(_ => rng.NextDouble() < zeroFraction
            ? (rng.Next(2) == 0 ? 0f : -0f) : (float)(rng.NextDouble() * 2 - 0.5)).ToArray();
        var counts = new long[HistogramBuckets.Count];
        FloatBucketTable.Count(values, counts, new int[4 * HistogramBuckets.Count]);
        var expected = new long[HistogramBuckets.Count];
        foreach (float v in values) expected[HistogramBuckets.IndexOf(v)]++;
        Assert.Equal(expected, counts);
        Assert.Equal(FloatBucketTable.IndexOf(0f), FloatBucketTable.IndexOf(-0f));
    }
}
