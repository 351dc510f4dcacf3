using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>
/// What each summary adds to a training step and to a test-set pass inside the network (cache and scheduling
/// included), against the bare run: the summaries' inputs come from the run itself, as in the Trainer. Runs
/// alternate; mins, since this host's speed drifts.
/// </summary>
internal static class SummaryInPassBench
{
    public static void Run(string dataDir, int samples)
    {
        using var h = new NetworkHarness(dataDir);
        var feeds = h.FeedTensors;
        foreach (bool training in new[] { true, false })
        {
            var targets = training ? new[] { h.Net.TrainStep.Value } : [];
            var bare = training ? h.TrainBare : h.TestBare;
            var full = training ? h.TrainWithSummaries : h.TestWithSummaries;
            var values = training ? h.TrainValues : h.TestValues;
            var variants = new List<(string Name, Callable Callable)> { ("bare", bare), ("merged", full) };
            foreach (var summary in h.Net.Merged.Value.Op.Inputs)
                variants.Add((summary.Op.Name, training
                    ? h.Session.MakeCallable([summary], feeds, targets)
                    : h.Session.MakeCallable([summary, h.Net.Accuracy], feeds)));
            var best = variants.ToDictionary(v => v.Name, _ => double.MaxValue);
            for (long start = Environment.TickCount64; Environment.TickCount64 - start < 1500;) { if (training) h.NextBatch(); full.Run(values); }
            int rounds = training ? samples : Math.Max(10, samples / 10);
            for (int r = 0; r < rounds; r++)
                foreach (var (name, callable) in variants)
                {
                    if (training) h.NextBatch();
                    long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                    callable.Run(values);
                    best[name] = Math.Min(best[name], System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
            string pass = training ? "training step" : "test-set pass";
            Console.WriteLine($"SUMMARY-IN-PASS {pass}: bare_min_ms={best["bare"]:F3} merged_min_ms={best["merged"]:F3}");
            foreach (var (name, _) in variants.Skip(2).OrderByDescending(v => best[v.Name]).Take(8))
                Console.WriteLine($"  {name,-60} +{(best[name] - best["bare"]) * 1000:F0} us");
        }
    }
}
