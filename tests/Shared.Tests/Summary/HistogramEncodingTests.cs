using Google.Protobuf;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>
/// The histogram op's Summary bytes (written field by field through CodedOutputStream) against Google.Protobuf's serialization of the
/// same message, and a reused Histogram (which clears only what it touched) against a fresh one.
/// </summary>
public class HistogramEncodingTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "empty", 0 }, { "one", 1 }, { "zeros", 1000 }, { "relu", 10_000 }, { "negative", 333 },
        { "tiny", 77 }, { "huge", 78 }, { "mixed", 100_003 }, { "relu", 2 * TfMnist.Kernels.ParallelSplit.MinParallelLength + 5 },
        { "weights", 78_400 }, { "constant", 17 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SummaryBytes_AreGoogleProtobufsBytes(string kind, int length)
    {
        float[] values = Values(kind, length, seed: length);
        foreach (string tag in new[] { "layer1/weights/summaries/histogram", "", "ünïcode/тег" })
        {
            byte[] ours = new Histogram().SummarizeToSummaryBytes(values, length, tag);
            var expected = new Proto.Summary();
            expected.Value.Add(new Proto.Summary.Types.Value { Tag = tag, Histo = new Histogram().Summarize(values, length, tag) });
            Assert.Equal(expected.ToByteArray(), ours);
        }
    }

    [Fact]
    public void ReusedHistogram_GivesAFreshOnesResult()
    {
        // Ranges that widen, narrow, move and vanish: stale counters would show up at once.
        string[] kinds = ["mixed", "tiny", "huge", "zeros", "negative", "relu", "mixed", "one"];
        int[] lengths = [5000, 300, 2 * TfMnist.Kernels.ParallelSplit.MinParallelLength, 10, 999, 2 * TfMnist.Kernels.ParallelSplit.MinParallelLength + 1, 70, 1];
        var reused = new Histogram();
        for (int round = 0; round < 2; round++)
            for (int k = 0; k < kinds.Length; k++)
            {
                float[] values = Values(kinds[k], lengths[k], seed: 100 * round + k);
                Assert.Equal(new Histogram().SummarizeToSummaryBytes(values, values.Length, "t"), reused.SummarizeToSummaryBytes(values, values.Length, "t"));
                var naive = new long[HistogramBuckets.Count];
                foreach (float f in values) naive[HistogramOracle.UpperBound(HistogramBuckets.Limits, f)]++;
                Assert.Equal(naive, HistogramOracle.DecodeCounts(reused.Summarize(values, values.Length, "t")));
            }
    }

    internal static float[] Values(string kind, int length, int seed)
    {
        var rng = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u = rng.NextDouble() * 2 - 1;
            values[i] = kind switch
            {
                "zeros" => rng.Next(2) == 0 ? 0f : -0f,
                "relu" => (float)Math.Max(0, u * 3),
                "negative" => (float)(-Math.Abs(u) * 10 - 1e-3),
                "tiny" => (float)(u * 1e-11 * Math.Pow(10, -rng.Next(0, 30))),
                "huge" => (float)(u * 1e19 * Math.Pow(10, rng.Next(0, 19))),
                "mixed" => (float)(u * Math.Pow(10, rng.Next(-45, 39))),
                "weights" => (float)(u * 0.1),
                "constant" => 0.5f,
                _ => (float)u,
            };
        }
        return values;
    }
}
