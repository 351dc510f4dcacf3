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
    /// Calls <paramref name="body"/>(state, start, count) over [0, length) in contiguous pieces
    /// whose starts are multiples of <paramref name="grain"/> (e.g. a row length), concurrently
    /// when worthwhile. The state travels as an argument so callers pass static lambdas: a job
    /// too small to split allocates nothing.
    /// </summary>
    /// <param name="minPerPart">Elements a part must have to be worth a thread (costlier kernels can go lower).</param>
    public static void For<TState>(int length, int grain, TState state, Action<TState, int, int> body, int minPerPart = MinParallelLength)
    {
        int parts = Math.Min(GemmThreading.ThreadCount, Math.Max(1, length / minPerPart));
        grain = Math.Max(1, grain);
        if (parts < 2 || length / grain < parts)
        {
            body(state, 0, length);
            return;
        }
        Job job = new Job<TState>(length, grain, parts, state, body);
        var handle = GCHandle.Alloc(job);
        try
        {
            // A busy pool runs the same pieces one after another, so results that depend on the
            // partition (a histogram's floating-point sums) do not depend on the pool's load.
            void* jobPointer = (void*)GCHandle.ToIntPtr(handle);
            if (!GemmThreading.TryRun(&RunPart, jobPointer, parts))
                for (int part = 0; part < parts; part++) RunPart(jobPointer, part);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void RunPart(void* jobPointer, int part)
    {
        var job = (Job)GCHandle.FromIntPtr((nint)jobPointer).Target!;
        int units = job.Length / job.Grain;
        int start = (int)((long)units * part / job.Parts) * job.Grain;
        int end = part == job.Parts - 1 ? job.Length : (int)((long)units * (part + 1) / job.Parts) * job.Grain;
        if (end > start) job.Run(start, end - start);
    }

    private abstract class Job(int length, int grain, int parts)
    {
        public int Length { get; } = length;
        public int Grain { get; } = grain;
        public int Parts { get; } = parts;
        public abstract void Run(int start, int count);
    }

    private sealed class Job<TState>(int length, int grain, int parts, TState state, Action<TState, int, int> body)
        : Job(length, grain, parts)
    {
        public override void Run(int start, int count) => body(state, start, count);
    }
}
