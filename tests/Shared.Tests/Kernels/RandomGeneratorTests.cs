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
}
