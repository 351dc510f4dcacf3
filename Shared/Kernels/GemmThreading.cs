using System.Runtime.ExceptionServices;

namespace TfMnist.Kernels;

/// <summary>
/// A tiny fork-join for kernels: the parts of one job run on the calling thread and the
/// <see cref="HelperThreads"/>, whichever are free.
/// </summary>
/// <remarks>
/// Why not Parallel.For: a 100x784x100 product takes ~0.1 ms, so per-call allocation and thread-pool
/// scheduling (tens of microseconds) would eat the gain. Here dispatch is a few interlocked operations: the job
/// is published in one 64-bit claim word, and any idle thread (a helper in its idle loop, or one waiting for
/// ready steps in a parallel plan run) claims the next part with a compare-and-swap. The caller claims parts too,
/// so a job whose helper is busy elsewhere simply runs on the caller; part p always computes the same slice,
/// whoever runs it, so results never depend on that. One job runs at a time; a caller that finds one running
/// (kernels issued from two threads at once) gets false from <see cref="TryRun"/> and runs single-threaded.
/// Jobs are an unmanaged function pointer plus a state pointer, so dispatch allocates nothing.
/// </remarks>
internal static unsafe class GemmThreading
{
    public static readonly int ThreadCount = Math.Clamp(Environment.ProcessorCount, 1, 64);

    private const int PartBits = 16;

    /// <summary>Parts a job may have (the claim word's field allows far more; no kernel needs them).</summary>
    public const int MaxParts = 1024;
    private const long PartMask = (1L << PartBits) - 1;

    private static readonly object s_busy = new();

    private static delegate*<void*, int, void> s_fn;
    private static void* s_state;
    // (job generation << 32) | (parts << 16) | next unclaimed part; next == parts when every part is taken.
    private static long s_claim;
    private static long s_generation;
    private static int s_completed;
    private static Exception? s_failure;

    static GemmThreading() => HelperThreads.AddSource(TryHelp);

    /// <summary>
    /// Runs fn(state, part) for part in [0, parts), part 0 on the calling thread, the rest on whichever threads
    /// claim them (the caller included), so a job may have more parts than threads and the parts balance out
    /// between a caller and a helper that joins late. Parts must not wait for each other: any of them may run after
    /// another on the same thread. Returns false (having run nothing) when a job is already running or there are
    /// too many parts.
    /// </summary>
    public static bool TryRun(delegate*<void*, int, void> fn, void* state, int parts)
    {
        // A reference run keeps to its calling thread: the caller then runs the same parts one after another.
        if (parts < 2 || parts > MaxParts || KernelPolicy.Reference || !Monitor.TryEnter(s_busy))
            return false;
        KernelProbe.Took(KernelProbe.Path.ForkJoin);
        try
        {
            s_fn = fn;
            s_state = state;
            s_failure = null;
            s_completed = 0;
            long generation = ++s_generation;
            // Part 0 is the caller's; the release write publishes the job to claimers.
            Volatile.Write(ref s_claim, generation << 32 | (long)parts << PartBits | 1);
            HelperThreads.Signal();

            RunPart(fn, state, 0);
            while (TryClaim(generation, out int part)) RunPart(fn, state, part);

            var spin = new SpinWait();
            while (Volatile.Read(ref s_completed) != parts)
                spin.SpinOnce(sleep1Threshold: -1);

            if (s_failure is { } failure)
                ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            Monitor.Exit(s_busy);
        }
    }

    /// <summary>Runs one unclaimed part of the current job, if there is one; for idle threads.</summary>
    public static bool TryHelp()
    {
        long claim = Volatile.Read(ref s_claim);
        if ((claim & PartMask) >= (claim >> PartBits & PartMask)) return false;
        if (!TryClaim(claim >> 32, out int part)) return false;
        // The job's fields were written before its claim word, and stay until every part has completed.
        RunPart(s_fn, s_state, part);
        return true;
    }

    /// <summary>Takes the next part of job <paramref name="generation"/>, if it still has one.</summary>
    private static bool TryClaim(long generation, out int part)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            long next = claim & PartMask, parts = claim >> PartBits & PartMask;
            if (claim >> 32 != generation || next >= parts)
            {
                part = -1;
                return false;
            }
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) == claim)
            {
                part = (int)next;
                return true;
            }
        }
    }

    private static void RunPart(delegate*<void*, int, void> fn, void* state, int part)
    {
        try { fn(state, part); }
        catch (Exception e) { Interlocked.CompareExchange(ref s_failure, e, null); }
        finally { Interlocked.Increment(ref s_completed); }
    }
}
