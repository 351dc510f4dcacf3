using TfMnist.Core;
using TfMnist.Proto;
using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>Where a step's time goes: traced runs, summed per op type (from RunMetadata step stats).</summary>
internal static class ProfileBench
{
    public static void Run(string dataDir, int samples)
    {
        using var h = new NetworkHarness(dataDir);
        var feeds = h.FeedTensors;
        Profile("training step (merged + train)", h, samples, () =>
        {
            h.NextBatch();
            return Trace(h, [h.Net.Merged, h.Net.TrainStep], feeds, h.TrainValues);
        });
        Profile("test-set pass (merged + accuracy)", h, Math.Max(5, samples / 10), () => Trace(h, [h.Net.Merged, h.Net.Accuracy], feeds, h.TestValues));
    }

    private static RunMetadata Trace(NetworkHarness h, Fetch[] fetches, Framework.Tensor[] feeds, NDArray[] values)
    {
        var metadata = new RunMetadata();
        h.Session.Run(fetches, feeds.Select((t, i) => new FeedItem(t, values[i])).ToArray(),
            new RunOptions { TraceLevel = TraceLevel.FullTrace }, metadata);
        return metadata;
    }

    private static void Profile(string title, NetworkHarness h, int samples, Func<RunMetadata> run)
    {
        for (int i = 0; i < 50; i++) run(); // past tiered JIT
        var perType = new Dictionary<string, double>();
        for (int s = 0; s < samples; s++)
            foreach (var node in run().StepStats.DevStats[0].NodeStats)
            {
                string type = h.Graph.GetOperationByName(node.NodeName).Type;
                perType[type] = perType.GetValueOrDefault(type) + node.AllEndRelNanos / 1e6 / samples;
            }
        double total = perType.Values.Sum();
        Console.WriteLine($"PROFILE {title}: {total:F3} ms in kernels per run");
        foreach (var (type, ms) in perType.OrderByDescending(kv => kv.Value).Take(15))
            Console.WriteLine($"  {type,-32} {ms,9:F3} ms  {ms / total,6:P1}");
    }
}
