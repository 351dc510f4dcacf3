using System.Diagnostics;

namespace TfMnist.Kernels;

/// <summary>
/// The process's helper threads: Environment.ProcessorCount - 1 of them, which with the calling thread make one
/// thread per core. They serve both kinds of parallel work from one idle loop: the parts of a kernel's fork-join
/// job (<see cref="GemmThreading"/>) and the steps of a plan run on several threads (Runtime.InterOpPool).
/// </summary>
/// <remarks>
/// One team rather than a pool per kind: with a GEMM pool and an inter-op pool side by side, a two-core machine
/// ran three busy threads (perf on a full training run: a quarter of all samples in spin loops and sched_yield),
/// and a worker spinning for its next GEMM could hold a core that the other pool's thread needed for real work.
/// A helper polls every source, spins for <see cref="SpinMilliseconds"/> after its last piece of work (the
/// Trainer's steps come back to back), then sleeps until new work is signalled.
/// </remarks>
internal static class HelperThreads
{
    private const int SpinMilliseconds = 2;

    public static readonly int Count = Math.Clamp(Environment.ProcessorCount - 1, 0, 63);

    private static readonly object s_startLock = new();
    private static readonly object s_sleepGate = new();
    private static Func<bool>[] s_sources = [];
    private static long s_signal;
    private static int s_sleepers;
    private static volatile bool s_started;

    /// <summary>
    /// Adds a source of work: a function a helper calls when idle, which runs one piece of waiting work (if any)
    /// and says whether it did. Sources are polled in the order they were added.
    /// </summary>
    public static void AddSource(Func<bool> tryHelp)
    {
        lock (s_startLock) s_sources = [.. s_sources, tryHelp];
    }

    /// <summary>Tells the helpers that a source has work: wakes sleeping ones (starting the team on first use).</summary>
    public static void Signal()
    {
        if (!s_started) Start();
        Interlocked.Increment(ref s_signal); // a full fence: the work is published before we read s_sleepers
        if (Volatile.Read(ref s_sleepers) > 0)
            lock (s_sleepGate) Monitor.PulseAll(s_sleepGate);
    }

    private static void Start()
    {
        lock (s_startLock)
        {
            if (s_started) return;
            for (int i = 0; i < Count; i++)
                new Thread(HelperLoop) { IsBackground = true, Name = $"tfmnist-helper-{i}" }.Start();
            s_started = true;
        }
    }

    private static void HelperLoop()
    {
        long spinTicks = Stopwatch.Frequency * SpinMilliseconds / 1000;
        long lastWork = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (true)
        {
            long signal = Volatile.Read(ref s_signal);
            if (PollSources())
            {
                lastWork = Stopwatch.GetTimestamp();
                spin = new SpinWait();
                continue;
            }
            if (Stopwatch.GetTimestamp() - lastWork < spinTicks)
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (s_sleepGate)
            {
                // Counted (a full fence) before the signal is re-read: either the publisher sees us and pulses
                // (it needs the lock, which Wait releases), or we see its new signal and go back to polling.
                Interlocked.Increment(ref s_sleepers);
                if (Volatile.Read(ref s_signal) == signal) Monitor.Wait(s_sleepGate, 100);
                Interlocked.Decrement(ref s_sleepers);
            }
            lastWork = Stopwatch.GetTimestamp();
        }
    }

    private static bool PollSources()
    {
        foreach (var tryHelp in Volatile.Read(ref s_sources)) // a source may be added while helpers run
            if (tryHelp()) return true;
        return false;
    }
}
