using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace TfMnist.Kernels;

/// <summary>
/// A tiny persistent fork-join pool: Environment.ProcessorCount - 1 background workers plus the calling thread.
/// </summary>
/// <remarks>
/// Why not Parallel.For: a 100x784x100 product takes ~0.1 ms, so per-call allocation and thread-pool
/// scheduling (tens of microseconds) would eat the gain. Here dispatch is one interlocked increment of a
/// generation counter that workers spin on; a worker keeps spinning for <see cref="SpinMicroseconds"/> after
/// its last job (back-to-back GEMMs of a training step find it awake), then sleeps on a monitor so an idle
/// process burns no CPU. One job runs at a time; a caller that finds the pool busy (GEMMs issued from
/// several threads) gets false from <see cref="TryRun"/> and runs single-threaded instead.
/// Jobs are an unmanaged function pointer plus a state pointer, so dispatch allocates nothing.
/// </remarks>
internal static unsafe class GemmThreading
{
    private const int SpinMicroseconds = 200;

    public static readonly int ThreadCount = Math.Clamp(Environment.ProcessorCount, 1, 64);

    private static readonly object s_busy = new();
    private static readonly object s_sleepGate = new();
    private static bool s_started;

    private static delegate*<void*, int, void> s_fn;
    private static void* s_state;
    private static int s_parts;
    private static long s_generation;
    private static int s_pending;
    private static int s_sleepers;
    private static Exception? s_failure;

    /// <summary>Runs fn(state, part) for part in [0, parts) concurrently, part 0 on the calling thread.
    /// Returns false (having run nothing) when the pool is busy or parts exceeds <see cref="ThreadCount"/>.
    /// All parts run at the same time, so they may synchronise with each other (e.g. a barrier).</summary>
    public static bool TryRun(delegate*<void*, int, void> fn, void* state, int parts)
    {
        if (parts < 2 || parts > ThreadCount || !Monitor.TryEnter(s_busy))
            return false;
        try
        {
            if (!s_started)
                StartWorkers();
            s_fn = fn;
            s_state = state;
            s_parts = parts;
            s_failure = null;
            Volatile.Write(ref s_pending, ThreadCount - 1);
            Interlocked.Increment(ref s_generation); // full fence: publishes the job, then we read s_sleepers
            if (Volatile.Read(ref s_sleepers) > 0)
            {
                lock (s_sleepGate)
                    Monitor.PulseAll(s_sleepGate);
            }

            Exception? mine = null;
            try { fn(state, 0); }
            catch (Exception e) { mine = e; }

            var spin = new SpinWait();
            while (Volatile.Read(ref s_pending) != 0)
                spin.SpinOnce(sleep1Threshold: -1);

            var failure = mine ?? s_failure;
            if (failure != null)
                ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            Monitor.Exit(s_busy);
        }
    }

    private static void StartWorkers()
    {
        // The generation is captured here, before the first job is published: a worker that only starts
        // running after the dispatch must still see that job as new.
        long generation = Volatile.Read(ref s_generation);
        for (int i = 1; i < ThreadCount; i++)
        {
            int part = i;
            var t = new Thread(() => WorkerLoop(part, generation)) { IsBackground = true, Name = $"TfMnist GEMM worker {part}" };
            t.Start();
        }
        s_started = true;
    }

    private static void WorkerLoop(int part, long seen)
    {
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            int polls = 0;
            while (Volatile.Read(ref s_generation) == seen)
            {
                Thread.SpinWait(16);
                if ((++polls & 63) == 0 && Stopwatch.GetTimestamp() - start > spinTicks)
                    Sleep(seen);
            }
            seen = Volatile.Read(ref s_generation);

            try
            {
                if (part < s_parts)
                    s_fn(s_state, part);
            }
            catch (Exception e)
            {
                s_failure = e;
            }
            finally
            {
                Interlocked.Decrement(ref s_pending);
            }
        }
    }

    private static void Sleep(long seen)
    {
        lock (s_sleepGate)
        {
            // Increment (a full fence) before re-reading the generation: either the dispatcher sees us
            // counted and pulses (it needs the lock, which Wait releases), or we see its new generation.
            Interlocked.Increment(ref s_sleepers);
            while (Volatile.Read(ref s_generation) == seen)
                Monitor.Wait(s_sleepGate);
            Interlocked.Decrement(ref s_sleepers);
        }
    }

    /// <summary>Spin barrier for the parts of one job; <paramref name="arrived"/> must start at 0.</summary>
    public static void Barrier(ref int arrived, int parts)
    {
        Interlocked.Increment(ref arrived);
        var spin = new SpinWait();
        while (Volatile.Read(ref arrived) < parts)
            spin.SpinOnce(sleep1Threshold: -1);
    }
}
