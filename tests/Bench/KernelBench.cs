using TfMnist.Summary;

namespace TfMnist.Bench;

/// <summary>Single kernels on the network's sizes: histogram summaries, image summaries.</summary>
internal static class KernelBench
{
    public static void Run(int samples)
    {
        var rng = new Random(1);
        var activations = new float[1_000_000];
        for (int i = 0; i < activations.Length; i++) activations[i] = Math.Max(0, (float)(rng.NextDouble() * 4 - 2));
        var weights = new float[78_400];
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(rng.NextDouble() * 0.02 - 0.01);
        var histogram = new Histogram();
        var h1 = Stats.Sample(samples, () => histogram.Summarize(activations, "a"));
        var h2 = Stats.Sample(samples, () => histogram.Summarize(weights, "w"));
        var images = new float[10 * 784];
        for (int i = 0; i < images.Length; i++) images[i] = rng.Next(5) == 0 ? 1 : 0;
        var im = Stats.Sample(samples, () => ImageSummary.Build("input", images, 10, 28, 28, 1, 10));
        Console.WriteLine($"KERNEL histogram_1M_ms={Stats.Median(h1):F3} ({Stats.Median(h1) * 1e6 / activations.Length:F2} ns/value) " +
                          $"histogram_78400_ms={Stats.Median(h2):F3} image_summary_10x28x28_ms={Stats.Median(im):F3}");
    }
}
