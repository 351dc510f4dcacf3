using TfMnist.Kernels;

namespace TfMnist.Tests.Kernels;

public class RandomGeneratorTests
{
    [Fact]
    public void UniformElementsDoNotDependOnTheFillLengthOrPath()
    {
        var longFill = new float[1000];
        new RandomGenerator(99).FillUniform(longFill);
        foreach (int length in new[] { 1, 7, 8, 15, 16, 37, 999 })
        {
            var shortFill = new float[length];
            new RandomGenerator(99).FillUniform(shortFill);
            Assert.Equal(longFill.AsSpan(0, length).ToArray(), shortFill);
        }
    }

    /// <summary>
    /// The stream itself, pinned independently of vector width: element i is SplitMix64's mix
    /// of (first draw + (i + 1) * golden ratio), top 24 bits. Seeded training runs depend on it.
    /// </summary>
    [Fact]
    public void UniformElementsFollowTheCounterFormulaOnEveryPath()
    {
        const ulong golden = 0x9E3779B97F4A7C15;
        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
        ulong start = new RandomGenerator(42).NextUInt64();
        var values = new float[1037];
        new RandomGenerator(42).FillUniform(values);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal((Mix(start + (ulong)(i + 1) * golden) >> 41) * (1f / (1 << 23)), values[i]);
    }

    [Fact]
    public void ParallelFillGivesTheSameStreamAsTheSerialOne()
    {
        int length = 3 * TfMnist.Kernels.ParallelSplit.MinParallelLength + 5;
        var serial = new float[length];
        new RandomGenerator(11).FillUniform(serial.AsSpan());
        var parallel = new float[length + 3];
        new RandomGenerator(11).FillUniform(parallel, length);
        Assert.Equal(serial, parallel.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void UniformIsInRangeAndEvenlySpread()
    {
        var values = new float[1 << 20];
        new RandomGenerator(5).FillUniform(values);
        var bins = new int[16];
        foreach (float v in values)
        {
            Assert.InRange(v, 0f, 0.99999995f);
            bins[(int)(v * 16)]++;
        }
        // Each bin expects 65536 values; 5 standard deviations is about 1240.
        Assert.All(bins, b => Assert.InRange(b, 65536 - 1240, 65536 + 1240));
    }

    [Fact]
    public void UniformFloatsKeepOnePlusUBelowTwo()
    {
        // TF 1.x dropout at keep_prob 1 is floor(1 + u) * x / 1: exactly x only while 1 + u < 2 for every u.
        Assert.True(1f + RandomGenerator.UnitFloat(ulong.MaxValue) < 2f);
        Assert.Equal(1f - MathF.Pow(2, -23), RandomGenerator.UnitFloat(ulong.MaxValue));
        var values = new float[1 << 20];
        new RandomGenerator(3).FillUniform(values, values.Length);
        Assert.All(values, u => Assert.True(u >= 0f && 1f + u < 2f && u * (1 << 23) == MathF.Floor(u * (1 << 23)), $"u = {u:R}"));
    }
}
