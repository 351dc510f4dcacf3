
namespace TfMnist.Bench;

/// <summary>Which ops of a bare training step allocate (managed bytes per kernel call).</summary>
internal static class AllocProbe
{
    public static void Run(string dataDir)
    {
        using var h = new NetworkHarness(dataDir);
        var feeds = h.FeedTensors;
        var plan = h.Session.GetPlan([], feeds, [h.Net.TrainStep]);
        var state = plan.Rent();
        var perOp = new Dictionary<string, long>();
        for (int run = 0; run < 400; run++)
        {
            h.NextBatch();
            for (int i = 0; i < feeds.Length; i++) state.Slots[plan.FeedSlots[i]] = h.TrainValues[i];
            foreach (var ctx in state.Contexts)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                ctx.Op.Definition!.Compute(ctx);
                long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (run >= 300 && bytes > 0) perOp[$"{ctx.Op.Type} {ctx.Op.Name}"] = perOp.GetValueOrDefault($"{ctx.Op.Type} {ctx.Op.Name}") + bytes;
            }
        }
        foreach (var (op, bytes) in perOp.OrderByDescending(kv => kv.Value)) Console.WriteLine($"ALLOC {bytes,6} B  {op}");
        if (perOp.Count == 0) Console.WriteLine("ALLOC no kernel allocates");
    }
}
