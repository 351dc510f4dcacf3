using System.Diagnostics;

namespace TfMnist.Runtime;

/// <summary>How a session runs the ops of one step (see <see cref="Session.InterOp"/>).</summary>
public enum InterOpMode
{
    /// <summary>Each plan times both ways for a few runs and keeps the faster (the default).</summary>
    Auto,

    /// <summary>Strictly in plan order on the calling thread.</summary>
    InOrder,

    /// <summary>Independent ops on all cores whenever the pool is free.</summary>
    Parallel,
}

/// <summary>
/// Picks, per plan, whether running independent ops at once pays. Whether it does depends on
/// the shapes (known only at run time) and on the GEMMs already using every core: a bare
/// training step is one chain of ops with nothing to overlap, where a parallel run only adds
/// handoffs, while a step with summaries overlaps histograms with the chain. So both ways are
/// timed, alternately, and the faster median wins; the choice is re-checked now and then in case
/// the load or the shapes changed. Results never depend on
/// the choice (parallel runs compute the in-order values), only the time does.
/// </summary>
internal sealed class ScheduleChooser
{
    private const int WarmupRuns = 4;       // first runs pay for JIT and buffer allocation
    private const int SamplesPerMode = 8;
    private const int RunsBetweenChecks = 4096;

    private readonly object _lock = new();
    private readonly long[] _parallelTicks = new long[SamplesPerMode];
    private readonly long[] _inOrderTicks = new long[SamplesPerMode];
    private int _parallelCount, _inOrderCount;
    private int _runsUntilCheck = WarmupRuns;
    private volatile bool _measuring = true;
    private volatile bool _parallel = true;

    /// <summary>
    /// Whether this run should try the parallel scheduler, and whether it is a timed run that
    /// must be reported back through <see cref="Record"/>.
    /// </summary>
    public bool ChooseParallel(out bool measuring)
    {
        measuring = false;
        if (!_measuring)
        {
            if (Interlocked.Decrement(ref _runsUntilCheck) <= 0) Restart();
            return _parallel;
        }
        lock (_lock)
        {
            if (_runsUntilCheck > 0)
            {
                // Warm-up: alternate so that both paths are compiled before they are timed.
                return (--_runsUntilCheck & 1) == 0;
            }
            measuring = true;
            // Alternate, so both modes see the same load on a shared machine.
            return _parallelCount <= _inOrderCount;
        }
    }

    /// <summary>Reports a timed run; <paramref name="ranParallel"/> is false when the pool was busy.</summary>
    public void Record(bool ranParallel, long elapsedTicks)
    {
        lock (_lock)
        {
            if (!_measuring) return;
            if (ranParallel) { if (_parallelCount < SamplesPerMode) _parallelTicks[_parallelCount++] = elapsedTicks; }
            else if (_inOrderCount < SamplesPerMode) _inOrderTicks[_inOrderCount++] = elapsedTicks;
            // A pool that stays busy (another session) gives no parallel samples: in order it is.
            if (_inOrderCount == SamplesPerMode && (_parallelCount == SamplesPerMode || _parallelCount == 0))
            {
                _parallel = _parallelCount == SamplesPerMode && Median(_parallelTicks) < Median(_inOrderTicks);
                _runsUntilCheck = RunsBetweenChecks;
                _measuring = false;
            }
        }
    }

    public static long Now() => Stopwatch.GetTimestamp();

    private void Restart()
    {
        lock (_lock)
        {
            if (_measuring) return;
            _parallelCount = _inOrderCount = 0;
            _runsUntilCheck = 0;
            _measuring = true;
        }
    }

    private static long Median(long[] values)
    {
        Array.Sort(values);
        return (values[SamplesPerMode / 2 - 1] + values[SamplesPerMode / 2]) / 2;
    }
}
