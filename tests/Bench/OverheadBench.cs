using System.Diagnostics;
using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>
/// Where a bare step's time goes beyond its kernels: the same plan run through the session in
/// order and in parallel, its kernels called directly, and each kernel timed alone (medians of
/// interleaved samples, so load on the shared machine hits every variant alike).
/// </summary>
internal static class OverheadBench
{
    public static void Run(string dataDir, int samples)
    {
        using var h = new NetworkHarness(dataDir);
        var feeds = h.FeedTensors;
        Report("bare training step", h, samples, true, h.TrainBare, h.Session.GetPlan([], feeds, [h.Net.TrainStep]));
        Report("training step with summaries", h, samples, true, h.TrainWithSummaries,
            h.Session.GetPlan([h.Net.Merged], feeds, [h.Net.TrainStep]));
        Report("bare test-set pass", h, Math.Max(10, samples / 10), false, h.TestBare, h.Session.GetPlan([h.Net.Accuracy], feeds, []));
    }

    private static void Report(string title, NetworkHarness h, int samples, bool train, Callable callable, ExecutionPlan plan)
    {
        var values = train ? h.TrainValues : h.TestValues;
        var feeds = h.FeedTensors;
        var state = plan.Rent();
        var perOp = new double[state.Contexts.Length];
        var perOpSamples = new List<double>[state.Contexts.Length];
        for (int i = 0; i < perOpSamples.Length; i++) perOpSamples[i] = new List<double>(samples);
        List<double> auto = [], parallel = [], inOrder = [], direct = [], kernelSum = [], batch = [];

        void Feed()
        {
            if (train) h.NextBatch();
            for (int i = 0; i < feeds.Length; i++) state.Slots[plan.FeedSlots[i]] = values[i];
        }

        // Long enough for tiered JIT (with PGO) to reach its final code in every kernel.
        for (int s = -300; s < samples; s++)
        {
            double b = Time(() => { if (train) h.NextBatch(); });
            h.Session.InterOp = InterOpMode.Auto;
            double a = Time(() => callable.Run(values));
            if (train) h.NextBatch();
            h.Session.InterOp = InterOpMode.Parallel;
            double p = Time(() => callable.Run(values));
            if (train) h.NextBatch();
            h.Session.InterOp = InterOpMode.InOrder;
            double q = Time(() => callable.Run(values));
            Feed();
            double d = Time(() => { foreach (var ctx in state.Contexts) ctx.Kernel.Compute(ctx); });
            Feed();
            double sum = 0;
            for (int i = 0; i < state.Contexts.Length; i++)
            {
                var ctx = state.Contexts[i];
                long t0 = Stopwatch.GetTimestamp();
                ctx.Kernel.Compute(ctx);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                sum += ms;
                if (s >= 0) perOpSamples[i].Add(ms);
            }
            if (s < 0) continue;
            auto.Add(a);
            batch.Add(b);
            parallel.Add(p);
            inOrder.Add(q);
            direct.Add(d);
            kernelSum.Add(sum);
        }
        foreach (var mode in new[] { InterOpMode.InOrder, InterOpMode.Parallel, InterOpMode.Auto, InterOpMode.InOrder })
        {
            h.Session.InterOp = mode;
            var run = Stats.Sample(samples, () => { if (train) h.NextBatch(); callable.Run(values); });
            Console.WriteLine($"OVERHEAD {title}: {mode} back to back (with next batch) median={Stats.Median(run):F3}");
        }
        h.Session.InterOp = InterOpMode.Auto;
        plan.Return(state);

        Console.WriteLine($"OVERHEAD {title}: {state.Contexts.Length} ops; median ms: auto={Stats.Median(auto):F3} parallel={Stats.Median(parallel):F3} " +
                          $"in_order={Stats.Median(inOrder):F3} direct_kernel_loop={Stats.Median(direct):F3} " +
                          $"timed_kernel_sum={Stats.Median(kernelSum):F3} next_batch={Stats.Median(batch):F3}");
        var byType = new Dictionary<string, (double Ms, int Count)>();
        for (int i = 0; i < state.Contexts.Length; i++)
        {
            string type = state.Contexts[i].Op.Type;
            var (ms, count) = byType.GetValueOrDefault(type);
            byType[type] = (ms + Stats.Median(perOpSamples[i]), count + 1);
        }
        foreach (var (type, (ms, count)) in byType.OrderByDescending(kv => kv.Value.Ms).Take(train ? 12 : 25))
            Console.WriteLine($"  {type,-32} x{count,-3} {ms * 1000,9:F1} us");
    }

    private static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
