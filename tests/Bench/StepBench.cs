namespace TfMnist.Bench;

/// <summary>Median training step and test-set pass, with and without the original's summaries.</summary>
internal static class StepBench
{
    public sealed record Medians(double TrainFullMs, double TrainBareMs, double TestFullMs, double TestBareMs);

    public static Medians Run(string dataDir, int samples)
    {
        using var h = new NetworkHarness(dataDir);
        // Tiered JIT with PGO needs hundreds of steps to settle on its final code: after a 20-step
        // warm-up, 200 samples measured mostly the warm-up (~1.0 ms bare instead of ~0.55 ms).
        var trainFull = Stats.Sample(samples, () => { h.NextBatch(); h.TrainWithSummaries.Run(h.TrainValues); }, warmup: 1000);
        var trainBare = Stats.Sample(samples, () => { h.NextBatch(); h.TrainBare.Run(h.TrainValues); }, warmup: 1000);
        int testSamples = Math.Max(10, samples / 10);
        var testFull = Stats.Sample(testSamples, () => h.TestWithSummaries.Run(h.TestValues), warmup: 40);
        var testBare = Stats.Sample(testSamples, () => h.TestBare.Run(h.TestValues), warmup: 40);
        Console.WriteLine($"STEP train_with_summaries_median_ms={Stats.Median(trainFull):F3} train_bare_median_ms={Stats.Median(trainBare):F3} " +
                          $"test_with_summaries_median_ms={Stats.Median(testFull):F2} test_bare_median_ms={Stats.Median(testBare):F2}");
        // This host's speed drifts by up to 2x between seconds; the minimum is the steadier figure for A/B work.
        Console.WriteLine($"STEP train_with_summaries_min_ms={trainFull.Min():F3} train_bare_min_ms={trainBare.Min():F3} " +
                          $"test_with_summaries_min_ms={testFull.Min():F2} test_bare_min_ms={testBare.Min():F2}");
        return new Medians(Stats.Median(trainFull), Stats.Median(trainBare), Stats.Median(testFull), Stats.Median(testBare));
    }

    /// <summary>
    /// Managed bytes allocated by one steady-state training step (bare and with summaries), on
    /// every thread: kernels that the parallel scheduler runs on its helper allocate there.
    /// </summary>
    public static void Allocations(string dataDir)
    {
        using var h = new NetworkHarness(dataDir);
        for (int i = 0; i < 50; i++) { h.NextBatch(); h.TrainBare.Run(h.TrainValues); h.TrainWithSummaries.Run(h.TrainValues); }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        const int steps = 100;
        for (int i = 0; i < steps; i++) { h.NextBatch(); h.TrainBare.Run(h.TrainValues); }
        long bare = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) { h.NextBatch(); h.TrainWithSummaries.Run(h.TrainValues); }
        long full = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        Console.WriteLine($"ALLOC train_bare_bytes_per_step={bare} train_with_summaries_bytes_per_step={full}");
    }
}
