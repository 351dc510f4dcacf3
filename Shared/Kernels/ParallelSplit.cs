using System.Runtime.InteropServices;

namespace TfMnist.Kernels;

/// <summary>
/// Splits a large elementwise job over the cores with the GEMM thread pool (no allocation of
/// threads, no Task scheduling): memory-bound loops over a million values go about twice as fast
/// on two cores. Small jobs, or a busy pool, run on the calling thread.
/// </summary>
public static unsafe class ParallelSplit
{
    /// <summary>Below this many elements one thread is faster than waking another.</summary>
    public const int MinParallelLength = 1 << 17;

    /// <summary>
    /// Calls <paramref name="body"/>(start, count) over [0, length) in contiguous pieces whose
    /// starts are multiples of <paramref name="grain"/> (e.g. a row length), concurrently when worthwhile.
    /// </summary>
    /// <param name="minPerPart">Elements a part must have to be worth a thread (costlier kernels can go lower).</param>
    public static void For(int length, int grain, Action<int, int> body, int minPerPart = MinParallelLength)
    {
        int parts = Math.Min(GemmThreading.ThreadCount, Math.Max(1, length / minPerPart));
        grain = Math.Max(1, grain);
        if (parts < 2 || length / grain < parts)
        {
            body(0, length);
            return;
        }
        var job = new Job(length, grain, parts, body);
        var handle = GCHandle.Alloc(job);
        try
        {
            // A busy pool runs the same pieces one after another, so results that depend on the
            // partition (a histogram's floating-point sums) do not depend on the pool's load.
            void* state = (void*)GCHandle.ToIntPtr(handle);
            if (!GemmThreading.TryRun(&RunPart, state, parts))
                for (int part = 0; part < parts; part++) RunPart(state, part);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void RunPart(void* state, int part)
    {
        var job = (Job)GCHandle.FromIntPtr((nint)state).Target!;
        int units = job.Length / job.Grain;
        int start = (int)((long)units * part / job.Parts) * job.Grain;
        int end = part == job.Parts - 1 ? job.Length : (int)((long)units * (part + 1) / job.Parts) * job.Grain;
        if (end > start) job.Body(start, end - start);
    }

    private sealed record Job(int Length, int Grain, int Parts, Action<int, int> Body);
}
