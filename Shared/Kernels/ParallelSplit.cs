using System.Runtime.InteropServices;

namespace TfMnist.Kernels;

/// <summary>
/// Splits a large elementwise job over the cores with the kernels' fork-join (<see cref="GemmThreading"/>; no allocation of
/// threads, no Task scheduling): memory-bound loops over a million values go about twice as fast
/// on two cores. Small jobs, or a busy pool, run on the calling thread.
/// </summary>
public static unsafe class ParallelSplit
{
    /// <summary>Below this many elements one thread is faster than waking another.</summary>
    public const int MinParallelLength = 1 << 17;

    /// <summary>
    /// Elements per piece that threads claim one at a time. Several pieces rather than one per
    /// thread: on a shared machine the other core is often taken by another process, and with
    /// fixed halves the caller would finish its half and then wait idle for the worker's. Not
    /// smaller: TensorPrimitives switches to non-temporal stores only above 256 KB per call, and
    /// 128 KB pieces made Round over the 31 MB test images half again slower.
    /// </summary>
    private const int PieceLength = 1 << 17;

    /// <summary>
    /// Calls <paramref name="body"/>(state, start, count) over [0, length) in contiguous pieces
    /// whose starts are multiples of <paramref name="grain"/> (e.g. a row length), concurrently
    /// when worthwhile. The pieces depend only on the length, grain and core count, never on
    /// which thread runs them or on the pool's load. The state travels as an argument so callers
    /// pass static lambdas: a job too small to split allocates nothing.
    /// </summary>
    /// <param name="minPerPart">Elements a part must have to be worth a thread (costlier kernels can go lower).</param>
    public static void For<TState>(int length, int grain, TState state, Action<TState, int, int> body, int minPerPart = MinParallelLength)
    {
        int parts = Math.Min(GemmThreading.ThreadCount, Math.Max(1, length / minPerPart));
        grain = Math.Max(1, grain);
        int units = length / grain;
        if (parts < 2 || units < parts)
        {
            body(state, 0, length);
            return;
        }
        int pieces = Math.Clamp(length / PieceLength, parts, units);
        Job job = new Job<TState>(length, grain, pieces, state, body);
        var handle = GCHandle.Alloc(job);
        try
        {
            // A busy pool runs the same pieces one after another, so results that depend on the
            // partition (a histogram's floating-point sums) do not depend on the pool's load.
            void* jobPointer = (void*)GCHandle.ToIntPtr(handle);
            if (!GemmThreading.TryRun(&RunPart, jobPointer, parts)) RunPart(jobPointer, 0);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>One thread's share: claims pieces until none is left.</summary>
    private static void RunPart(void* jobPointer, int part)
    {
        var job = (Job)GCHandle.FromIntPtr((nint)jobPointer).Target!;
        int units = job.Length / job.Grain;
        for (int piece; (piece = job.Claim()) < job.Pieces;)
        {
            int start = (int)((long)units * piece / job.Pieces) * job.Grain;
            int end = piece == job.Pieces - 1 ? job.Length : (int)((long)units * (piece + 1) / job.Pieces) * job.Grain;
            if (end > start) job.Run(start, end - start);
        }
    }

    private abstract class Job(int length, int grain, int pieces)
    {
        private int _claimed;
        public int Length { get; } = length;
        public int Grain { get; } = grain;
        public int Pieces { get; } = pieces;
        public int Claim() => Interlocked.Increment(ref _claimed) - 1;
        public abstract void Run(int start, int count);
    }

    private sealed class Job<TState>(int length, int grain, int pieces, TState state, Action<TState, int, int> body)
        : Job(length, grain, pieces)
    {
        public override void Run(int start, int count) => body(state, start, count);
    }
}
