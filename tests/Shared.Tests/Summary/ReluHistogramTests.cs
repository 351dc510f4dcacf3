using System.Numerics.Tensors;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>The ReLU histogram derived from its input's pass must be the bytes of summarizing the ReLU output itself.</summary>
public class ReluHistogramTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "mixed", 1 }, { "mixed", 100 }, { "mixed", 4097 }, { "mixed", 300_001 }, // one chunk, two, the two-core split
        { "negative", 5000 }, { "positive", 5000 }, { "signed zeros", 333 }, { "tiny", 2000 }, { "mixed", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DerivedReluHistogramHasTheBitsOfTheReluOutputs(string kind, int length)
    {
        var rng = new Random(length + kind.Length);
        var x = Enumerable.Range(0, length).Select(_ => kind switch
        {
            "negative" => -(float)rng.NextDouble() * 3,
            "positive" => (float)rng.NextDouble() * 3 + 1e-3f,
            "signed zeros" => rng.Next(4) switch { 0 => 0f, 1 => -0f, 2 => 1e-13f, _ => (float)rng.NextDouble() - 0.5f },
            "tiny" => (float)((rng.NextDouble() - 0.5) * 1e-11),
            _ => rng.Next(8) == 0 ? 0f : (float)((rng.NextDouble() - 0.45) * 6),
        }).ToArray();
        var relu = new float[length];
        TensorPrimitives.Max(x, 0f, relu); // the Relu op's kernel

        var (bytes, reluBytes) = new Histogram().SummarizeWithReluToSummaryBytes(x, length, "linear", new Histogram(), "activations");

        Assert.Equal(new Histogram().SummarizeToSummaryBytes(x, length, "linear"), bytes);
        Assert.Equal(new Histogram().SummarizeToSummaryBytes(relu, length, "activations"), reluBytes);
    }

    [Fact]
    public void ReusedHistogramsGiveFreshResults()
    {
        var (h, r) = (new Histogram(), new Histogram());
        var wide = Enumerable.Range(0, 1000).Select(i => (i - 500) * 0.37f).ToArray();
        var narrow = Enumerable.Range(0, 50).Select(i => i * 1e-3f).ToArray();
        h.SummarizeWithReluToSummaryBytes(wide, wide.Length, "a", r, "b");
        var (bytes, reluBytes) = h.SummarizeWithReluToSummaryBytes(narrow, narrow.Length, "a", r, "b");
        Assert.Equal(new Histogram().SummarizeToSummaryBytes(narrow, narrow.Length, "a"), bytes);
        Assert.Equal(new Histogram().SummarizeToSummaryBytes(narrow, narrow.Length, "b"), reluBytes);
    }

    [Fact]
    public void NaNIsAnErrorNamingTheInputsTag()
    {
        var x = new float[100];
        x[37] = float.NaN;
        var error = Assert.Throws<NonFiniteSummaryException>(() => new Histogram().SummarizeWithReluToSummaryBytes(x, x.Length, "layer/linear", new Histogram(), "layer/activations"));
        Assert.Contains("layer/linear", error.Message);
    }
}
