using System.Diagnostics;
using TfMnist.Summary;

namespace TfMnist.Bench;

/// <summary>Bucket counting alone (then the moments pass), one thread, in the histogram's 4096-value chunks: 1M normal-like values, their ReLU (about 40% zeros) and weight-like values; min of runs.</summary>
internal static class BucketBench
{
    public static void Run(int reps)
    {
        var rng = new Random(1);
        var normal = Enumerable.Range(0, 1_000_000).Select(_ => (float)((rng.NextDouble() - 0.4) * 4)).ToArray();
        var relu = normal.Select(v => Math.Max(v, 0f)).ToArray();
        // Trained first-layer weights: about N(0, 0.03), so a few dozen buckets take nearly every value.
        var weights = Enumerable.Range(0, 1_000_000).Select(_ => (float)(0.03 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))).ToArray();
        var scratch = new int[4 * HistogramBuckets.Count];
        foreach (var (name, data) in new[] { ("normal", normal), ("relu", relu), ("weights", weights) })
        {
            double best = double.MaxValue;
            for (int r = 0; r < reps; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int o = 0; o < data.Length; o += 4096)
                    FloatBucketTable.CountInto(data.AsSpan(o, Math.Min(4096, data.Length - o)), scratch, HistogramBuckets.Count);
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Array.Clear(scratch);
            }
            Console.WriteLine($"BUCKETS {name} 1M values: {best:F3} ms, {best * 1e6 / data.Length:F2} ns/value");
        }
        // The histogram's other pass: min, max and the double sums (with the ReLU sums, as the hidden layer's pair).
        foreach (bool withRelu in new[] { false, true })
        {
            double best = double.MaxValue;
            for (int r = 0; r < reps; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int o = 0; o < normal.Length; o += 4096)
                {
                    var chunk = normal.AsSpan(o, Math.Min(4096, normal.Length - o));
                    if (withRelu) HistogramMoments.AccumulateWithRelu(chunk, "bench", out _, out _, out _, out _, out _, out _);
                    else HistogramMoments.Accumulate(chunk, "bench", out _, out _, out _, out _);
                }
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            Console.WriteLine($"MOMENTS {(withRelu ? "with ReLU sums" : "plain")} 1M values: {best:F3} ms, {best * 1e6 / normal.Length:F2} ns/value");
        }
    }
}
