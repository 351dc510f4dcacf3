namespace TfMnist.Runtime;

/// <summary>
/// Threads that help run independent ops of one plan at the same time (TF's inter-op
/// parallelism): the caller plus ProcessorCount - 1 helpers. One parallel run at a time; a run
/// that finds the pool busy (another session running) simply runs sequentially. Helpers spin
/// briefly between runs, then sleep.
/// </summary>
internal static class InterOpPool
{
    public static readonly int Helpers = Math.Clamp(Environment.ProcessorCount - 1, 0, 7);

    private static readonly object Busy = new();
    private static readonly object SleepGate = new();
    private static ParallelRun? s_run;
    private static long s_generation;
    private static int s_sleepers;
    private static bool s_started;

    public static bool TryRun(ParallelRun run)
    {
        if (Helpers == 0 || !Monitor.TryEnter(Busy)) return false;
        try
        {
            if (!s_started) Start();
            run.Reset(s_generation + 1);
            Volatile.Write(ref s_run, run);
            Interlocked.Increment(ref s_generation); // publishes the run, then we read s_sleepers
            if (Volatile.Read(ref s_sleepers) > 0)
                lock (SleepGate) Monitor.PulseAll(SleepGate);
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

    private static void Start()
    {
        long seen = Volatile.Read(ref s_generation);
        for (int i = 0; i < Helpers; i++)
            new Thread(() => HelperLoop(seen)) { IsBackground = true, Name = $"tfmnist-interop-{i}" }.Start();
        s_started = true;
    }

    private static void HelperLoop(long seen)
    {
        while (true)
        {
            long generation = WaitForNewGeneration(seen);
            seen = generation;
            var run = Volatile.Read(ref s_run);
            if (run is null || run.Generation != generation) continue;
            Interlocked.Increment(ref run.Joined);
            if (!run.Closed) run.Work();
            Interlocked.Decrement(ref run.Joined);
        }
    }

    private static long WaitForNewGeneration(long seen)
    {
        var spin = new SpinWait();
        long deadline = Environment.TickCount64 + 2; // spin a couple of milliseconds: steps come back to back
        while (true)
        {
            long generation = Volatile.Read(ref s_generation);
            if (generation != seen) return generation;
            if (Environment.TickCount64 < deadline) { spin.SpinOnce(sleep1Threshold: -1); continue; }
            lock (SleepGate)
            {
                Interlocked.Increment(ref s_sleepers);
                if (Volatile.Read(ref s_generation) == seen) Monitor.Wait(SleepGate, 100);
                Interlocked.Decrement(ref s_sleepers);
            }
        }
    }
}
