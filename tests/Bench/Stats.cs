using System.Diagnostics;

namespace TfMnist.Bench;

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Milliseconds per call of <paramref name="action"/>, one sample per call after a warm-up.</summary>
    public static List<double> Sample(int count, Action action, int warmup = 20)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples;
    }
}
