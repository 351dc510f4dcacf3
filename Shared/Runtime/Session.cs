using System.Collections.Concurrent;
using System.Diagnostics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Proto;

namespace TfMnist.Runtime;

/// <summary>
/// Runs a graph: owns variable values and random-number state, caches one execution plan per
/// (fetches, feeds, targets), and returns fetched values as copies the caller may keep.
/// </summary>
public sealed partial class Session : IKernelHost, IDisposable
{
    private readonly ConcurrentDictionary<string, ExecutionPlan> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, NDArray> _variables = new();
    private readonly ConcurrentDictionary<int, object> _opState = new();

    public Session(Graph? graph = null, SessionOptions? options = null)
    {
        Graph = graph ?? Graph.Current;
        Options = options ?? SessionOptions.Default;
        if (Options.UseReferenceKernels)
        {
            FuseElementwise = false;
            InterOp = InterOpMode.InOrder;
        }
    }

    public Graph Graph { get; }

    /// <summary>The optimizations this session may take, fixed when it is made.</summary>
    public SessionOptions Options { get; }

    /// <summary>Graph-level seed for random ops without their own (tf.set_random_seed).</summary>
    public int? Seed { get; set; }

    public NDArray? Run(Fetch fetch, params FeedItem[] feeds) => Run(new[] { fetch }, feeds)[0];

    public (NDArray? First, NDArray? Second) Run((Fetch, Fetch) fetches, params FeedItem[] feeds)
    {
        var r = Run(new[] { fetches.Item1, fetches.Item2 }, feeds);
        return (r[0], r[1]);
    }

    public NDArray?[] Run(Fetch[] fetches, params FeedItem[] feeds) => Run(fetches, feeds, null, null);

    /// <summary>
    /// Runs what <paramref name="fetches"/> need; Tensor fetches give values, Operation fetches
    /// give null. With a full trace in <paramref name="options"/>, fills <paramref name="metadata"/>.
    /// </summary>
    public NDArray?[] Run(Fetch[] fetches, FeedItem[] feeds, RunOptions? options, RunMetadata? metadata)
    {
        var tensors = new List<Tensor>();
        var targets = new List<Operation>();
        var positions = new int[fetches.Length];
        for (int i = 0; i < fetches.Length; i++)
        {
            var (t, op) = fetches[i].Resolve(Graph);
            if (t is not null) { positions[i] = tensors.Count; tensors.Add(t); }
            else { positions[i] = -1; targets.Add(op!); }
        }
        var callable = GetPlan(tensors, feeds.Select(f => f.Tensor).ToList(), targets);
        var values = new NDArray[feeds.Length];
        for (int i = 0; i < feeds.Length; i++) values[i] = feeds[i].Value;
        var results = new NDArray?[fetches.Length];
        Execute(callable, values, options, metadata, fetched =>
        {
            for (int i = 0; i < fetches.Length; i++)
                if (positions[i] >= 0) results[i] = fetched[positions[i]]!.Clone();
        });
        return results;
    }

    /// <summary>
    /// A reusable run of fixed fetches/feeds/targets (TF's make_callable): no plan lookup per call,
    /// and results are views valid until the next call — the allocation-free path for a hot loop.
    /// </summary>
    public Callable MakeCallable(IReadOnlyList<Tensor> fetches, IReadOnlyList<Tensor> feeds, IReadOnlyList<Operation>? targets = null) =>
        new(this, GetPlan(fetches, feeds, targets ?? Array.Empty<Operation>()));

    internal ExecutionPlan GetPlan(IReadOnlyList<Tensor> fetches, IReadOnlyList<Tensor> feeds, IReadOnlyList<Operation> targets)
    {
        if (feeds.Distinct().Count() != feeds.Count)
            throw new InvalidArgumentException("A tensor is fed more than once.");
        string key = string.Join(",", fetches.Select(t => t.Name)) + "|" +
                     string.Join(",", feeds.Select(t => t.Name)) + "|" +
                     string.Join(",", targets.Select(o => o.Name));
        return _plans.GetOrAdd(key, _ => new ExecutionPlan(this, fetches, feeds, targets));
    }

    internal void Execute(ExecutionPlan plan, ReadOnlySpan<NDArray> feedValues, RunOptions? options,
        RunMetadata? metadata, Action<NDArray?[]> readFetches)
    {
        using var policy = KernelPolicy.Enter(Options.UseReferenceKernels);
        var state = plan.Rent();
        try
        {
            for (int i = 0; i < plan.Feeds.Length; i++)
                state.Slots[plan.FeedSlots[i]] = CheckFeed(plan.Feeds[i], feedValues[i]);
            if (options?.TraceLevel == TraceLevel.FullTrace && metadata is not null)
                RunTraced(plan, state, metadata);
            else
                RunSteps(plan, state);

            var fetched = new NDArray?[plan.FetchSlots.Length];
            for (int i = 0; i < fetched.Length; i++) fetched[i] = state.Slots[plan.FetchSlots[i]];
            readFetches(fetched);
        }
        finally
        {
            // Drop references to feeds and views so the caller's arrays are not kept alive;
            // the contexts keep their own output buffers for the next run.
            Array.Clear(state.Slots);
            plan.Return(state);
        }
    }

    internal void ExecuteInto(ExecutionPlan plan, ReadOnlySpan<NDArray> feedValues, Span<NDArray?> results)
    {
        using var policy = KernelPolicy.Enter(Options.UseReferenceKernels);
        var state = plan.Rent();
        try
        {
            for (int i = 0; i < plan.Feeds.Length; i++)
                state.Slots[plan.FeedSlots[i]] = CheckFeed(plan.Feeds[i], feedValues[i]);
            RunSteps(plan, state);
            for (int i = 0; i < plan.FetchSlots.Length; i++) results[i] = state.Slots[plan.FetchSlots[i]];
        }
        finally
        {
            Array.Clear(state.Slots);
            plan.Return(state);
        }
    }

    /// <summary>
    /// Inter-op parallelism: whether independent ops of a step may run at the same time. Results
    /// are the same either way; the default lets each plan time both and keep the faster.
    /// </summary>
    public InterOpMode InterOp { get; set; } = InterOpMode.Auto;

    /// <summary>
    /// Whether plans made from now on run connected elementwise ops as fused tile loops (see
    /// <see cref="ElementwiseFusion"/>). The results are the same bits either way; off is for comparing.
    /// </summary>
    public bool FuseElementwise { get; set; } = Environment.GetEnvironmentVariable("TFMNIST_NO_FUSION") != "1";

    /// <summary>False runs every step strictly in plan order; true is <see cref="InterOpMode.Auto"/>.</summary>
    public bool RunOpsInParallel
    {
        get => InterOp != InterOpMode.InOrder;
        set => InterOp = value ? InterOpMode.Auto : InterOpMode.InOrder;
    }

    private void RunSteps(ExecutionPlan plan, RunState state)
    {
        // Short plans are not worth waking a helper thread for.
        var mode = Options.UseReferenceKernels ? InterOpMode.InOrder : InterOp;
        if (mode == InterOpMode.InOrder || state.Contexts.Length < 8) { RunInOrder(state.Contexts); return; }
        if (mode == InterOpMode.Parallel)
        {
            if (!InterOpPool.TryRun(state.Parallel)) RunInOrder(state.Contexts);
            return;
        }
        bool parallel = plan.Schedule.ChooseParallel(out bool measuring);
        long start = measuring ? ScheduleChooser.Now() : 0;
        bool ranParallel = parallel && InterOpPool.TryRun(state.Parallel);
        if (!ranParallel) RunInOrder(state.Contexts);
        if (measuring) plan.Schedule.Record(ranParallel, ScheduleChooser.Now() - start);
    }

    private static void RunInOrder(KernelContext[] contexts)
    {
        foreach (var ctx in contexts) ctx.Kernel.Compute(ctx);
    }

    private static void RunTraced(ExecutionPlan plan, RunState state, RunMetadata metadata)
    {
        var device = new DeviceStepStats { Device = "/job:localhost/replica:0/task:0/device:CPU:0" };
        uint threadId = (uint)Environment.CurrentManagedThreadId;
        // A fused group's members run one by one here, so every node gets its own timing.
        var contexts = state.Contexts.SelectMany(c => c.Kernel is FusedKernel fused ? fused.Members : [c]);
        foreach (var ctx in contexts)
        {
            long startNanos = UnixNanos();
            long t0 = Stopwatch.GetTimestamp();
            ctx.Kernel.Compute(ctx);
            long elapsedNanos = (long)(Stopwatch.GetElapsedTime(t0).TotalMilliseconds * 1e6);
            device.NodeStats.Add(new NodeExecStats
            {
                NodeName = ctx.Op.Name,
                AllStartMicros = startNanos / 1000,
                OpStartRelMicros = 0,
                OpEndRelMicros = elapsedNanos / 1000,
                AllEndRelMicros = elapsedNanos / 1000,
                AllStartNanos = startNanos,
                OpStartRelNanos = 0,
                OpEndRelNanos = elapsedNanos,
                AllEndRelNanos = elapsedNanos,
                ScheduledMicros = startNanos / 1000,
                ScheduledNanos = startNanos,
                ThreadId = threadId,
                TimelineLabel = $"{ctx.Op.Name} = {ctx.Op.Type}({string.Join(", ", ctx.Op.Inputs.Select(t => t.InputName))})",
            });
        }
        metadata.StepStats ??= new StepStats();
        metadata.StepStats.DevStats.Add(device);
    }

    private static long UnixNanos() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    private static NDArray CheckFeed(Tensor tensor, NDArray value)
    {
        if (value.DType != tensor.DType)
            throw new InvalidArgumentException(
                $"Cannot feed a {value.DType.TfName()} value to Tensor '{tensor.Name}', which has dtype {tensor.DType.TfName()}.");
        if (!tensor.Shape.IsCompatibleWith(value.Shape.AsSpan()))
            throw new InvalidArgumentException(
                $"Cannot feed value of shape {new Shape(value.Shape)} for Tensor '{tensor.Name}', which has shape '{tensor.Shape}'");
        return value;
    }

    public NDArray? GetVariable(Operation variable) => _variables.TryGetValue(variable.Id, out var v) ? v : null;

    public void SetVariable(Operation variable, NDArray value) => _variables[variable.Id] = value;

    /// <summary>Per-op mutable state (random generators, histogram scratch), created on first use by a static
    /// factory, so the hot path allocates no closure.</summary>
    public T GetOpState<T>(Operation op, Func<Operation, IKernelHost, T> create) where T : class =>
        _opState.TryGetValue(op.Id, out var state) ? (T)state : CreateOpState(op, create);

    private T CreateOpState<T>(Operation op, Func<Operation, IKernelHost, T> create) where T : class =>
        (T)_opState.GetOrAdd(op.Id, _ => create(op, this));

    public void Dispose()
    {
        // Per-op states may hold per-thread values (ThreadLocal): release them now rather than at finalization.
        foreach (var state in _opState.Values) (state as IDisposable)?.Dispose();
        _plans.Clear();
        _variables.Clear();
        _opState.Clear();
    }
}

/// <summary>A prepared run (see <see cref="Session.MakeCallable"/>).</summary>
public sealed class Callable
{
    private readonly Session _session;
    private readonly ExecutionPlan _plan;
    private readonly NDArray?[] _results;

    internal Callable(Session session, ExecutionPlan plan)
    {
        _session = session;
        _plan = plan;
        _results = new NDArray?[plan.FetchSlots.Length];
    }

    /// <summary>Runs with feed values in the order the feeds were given; results are valid until the next call.</summary>
    public IReadOnlyList<NDArray?> Run(params NDArray[] feedValues)
    {
        if (feedValues.Length != _plan.Feeds.Length)
            throw new ArgumentException($"Expected {_plan.Feeds.Length} feed values, got {feedValues.Length}.");
        _session.ExecuteInto(_plan, feedValues, _results);
        return _results;
    }
}
