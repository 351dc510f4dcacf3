using TfMnist.Kernels;

namespace TfMnist.Runtime;

/// <summary>
/// Runs the independent ops of one plan at the same time (TF's inter-op parallelism) on the calling thread and
/// the <see cref="HelperThreads"/>. One parallel run at a time; a run that finds another in progress (a second
/// session running) simply runs sequentially.
/// </summary>
internal static class InterOpPool
{
    public static int Helpers => HelperThreads.Count;

    private static readonly object Busy = new();
    private static ParallelRun? s_run;
    private static long s_generation; // of the run in s_run, written after it was reset

    static InterOpPool() => HelperThreads.AddSource(TryHelp);

    public static bool TryRun(ParallelRun run)
    {
        if (Helpers == 0 || !Monitor.TryEnter(Busy)) return false;
        try
        {
            KernelProbe.Took(KernelProbe.Path.ParallelPlan);
            // The generation is published last: a helper that reads it finds the run reset and in s_run.
            long generation = s_generation + 1;
            run.Reset(generation);
            Volatile.Write(ref s_run, run);
            Volatile.Write(ref s_generation, generation);
            HelperThreads.Signal();
            run.Work();
            run.Close();
            // The run's slots are reused by the next run: wait until no helper is still inside.
            var spin = new SpinWait();
            while (Volatile.Read(ref run.Joined) > 0) spin.SpinOnce(sleep1Threshold: -1);
            run.ThrowIfFailed();
            return true;
        }
        finally
        {
            Volatile.Write(ref s_run, null);
            Monitor.Exit(Busy);
        }
    }

    /// <summary>Joins the current run until it is done, if there is one this thread has not joined yet; for idle helpers.</summary>
    private static bool TryHelp()
    {
        long generation = Volatile.Read(ref s_generation);
        var run = Volatile.Read(ref s_run);
        if (run is null || t_joined == generation || run.Closed || run.Generation != generation) return false;
        t_joined = generation;
        Interlocked.Increment(ref run.Joined); // a full fence before the re-check
        // Closed first, then the generation (see ParallelRun.Reset): the run may have ended, and even been
        // reset for the next one, since it was read above.
        if (!run.Closed && run.Generation == generation) run.Work();
        Interlocked.Decrement(ref run.Joined);
        return true;
    }

    [ThreadStatic] private static long t_joined;
}
