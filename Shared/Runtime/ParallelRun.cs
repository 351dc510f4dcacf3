using System.Runtime.ExceptionServices;
using TfMnist.Kernels;

namespace TfMnist.Runtime;

/// <summary>
/// One run of a plan by several threads: a step becomes ready when every step it waits for has
/// finished; each thread takes ready steps until all are done. Kernels write only their own
/// output slots, and the plan's read-before-write edges keep variable updates after their
/// readers, so the results are the sequential run's.
/// </summary>
internal sealed class ParallelRun
{
    private readonly ExecutionPlan _plan;
    private readonly RunState _state;
    private readonly int[] _pending;
    private readonly int[] _ready;
    private readonly object _readyLock = new();
    private int _readyCount;
    private int _remaining;
    private ExceptionDispatchInfo? _failure;

    public ParallelRun(ExecutionPlan plan, RunState state)
    {
        _plan = plan;
        _state = state;
        _pending = new int[plan.Steps.Length];
        _ready = new int[plan.Steps.Length];
    }

    private long _generation;
    private int _closed;

    /// <summary>Incremented per run, so a late helper thread never joins a later run by mistake.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Helper threads inside <see cref="Work"/> for the current generation.</summary>
    public int Joined;

    public bool Closed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Prepares the next run. The generation changes before the run reopens, so a helper that reads
    /// <see cref="Closed"/> and then <see cref="Generation"/> never takes a reopened run for its old one.
    /// </summary>
    public void Reset(long generation)
    {
        Volatile.Write(ref _generation, generation);
        Volatile.Write(ref _closed, 0);
        _failure = null;
        Array.Copy(_plan.InitialPending, _pending, _pending.Length);
        _readyCount = 0;
        // Push in reverse so the first steps of the sequential order are taken first.
        for (int i = _pending.Length - 1; i >= 0; i--)
            if (_pending[i] == 0) _ready[_readyCount++] = i;
        _remaining = _pending.Length;
    }

    /// <summary>Ends the run; a full fence, so a helper that joins after the caller last saw <see cref="Joined"/> at 0 sees it closed.</summary>
    public void Close() => Interlocked.Exchange(ref _closed, 1);

    public void ThrowIfFailed() => _failure?.Throw();

    /// <summary>Runs ready steps until the plan is done or a step failed.</summary>
    public void Work()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _remaining) > 0 && Volatile.Read(ref _failure) is null)
        {
            int step = -1;
            lock (_readyLock)
                if (_readyCount > 0) step = _ready[--_readyCount];
            if (step < 0)
            {
                // Nothing ready: the running steps may have forked work (a GEMM's other half) to share.
                if (GemmThreading.TryHelp()) spin = new SpinWait();
                else spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            spin = new SpinWait();
            var ctx = _state.Contexts[step];
            try
            {
                ctx.Kernel.Compute(ctx);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                return;
            }
            foreach (int next in _plan.Successors[step])
                if (Interlocked.Decrement(ref _pending[next]) == 0)
                    lock (_readyLock) _ready[_readyCount++] = next;
            Interlocked.Decrement(ref _remaining);
        }
    }
}
