using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>
/// The pruned, ordered list of ops that computes some fetches from some feeds, built once per
/// (fetches, feeds, targets) and reused. Per-run scratch lives in pooled <see cref="RunState"/>s,
/// so concurrent runs of one plan never share buffers.
/// </summary>
internal sealed partial class ExecutionPlan
{
    // A locked stack, not a ConcurrentBag: the bag keeps each thread's states in a ThreadLocal that the thread's
    // slot array roots, and a state references this plan and so the bag, so no plan (with its session, graph and
    // buffers) was ever collected: a program making sessions in a loop grew without bound (the differential
    // campaign was OOM-killed at 23 GB after 42,000 graphs).
    private readonly Stack<RunState> _idleStates = new();

    public ExecutionPlan(Session session, IReadOnlyList<Tensor> fetches, IReadOnlyList<Tensor> feeds, IReadOnlyList<Operation> targets)
    {
        Session = session;
        Feeds = feeds.ToArray();
        var fed = new HashSet<Tensor>(feeds);
        Ops = Order(fetches, targets, fed);

        var slotOf = new Dictionary<Tensor, int>();
        int Slot(Tensor t)
        {
            if (!slotOf.TryGetValue(t, out int s)) slotOf[t] = s = slotOf.Count;
            return s;
        }
        FeedSlots = Feeds.Select(Slot).ToArray();
        OpInputSlots = Ops.Select(op => op.Inputs.Select(Slot).ToArray()).ToArray();
        OpOutputSlots = Ops.Select(op => op.Outputs.Select(Slot).ToArray()).ToArray();
        FetchSlots = fetches.Select(Slot).ToArray();
        SlotCount = slotOf.Count;
        foreach (var op in Ops) op.Definition!.Prepare(op);

        var preds = Predecessors(Ops, fed);
        // A reference session fuses nothing, whatever FuseElementwise was set to after it was made.
        var groups = session.FuseElementwise && !session.Options.UseReferenceKernels ? ElementwiseFusion.Find(Ops, preds, new HashSet<Tensor>(fetches)) : [];
        (StepOps, Groups, var stepPreds) = Fuse(preds, groups);
        Steps = StepOps.Select((op, i) => Groups[i] is { } g ? Ops[g.Steps[^1]] : Ops[op]).ToArray();
        (Successors, InitialPending) = Edges(stepPreds);
    }

    public Session Session { get; }

    /// <summary>Every op a run executes, in plan order (a fused group's members each have their own entry).</summary>
    public Operation[] Ops { get; }
    public int[][] OpInputSlots { get; }
    public int[][] OpOutputSlots { get; }

    /// <summary>The units the schedulers run, in a valid sequential order: an op, or a fused group named by its last member.</summary>
    public Operation[] Steps { get; }

    /// <summary>Per step: the index into <see cref="Ops"/> of its op, or -1 for a fused group.</summary>
    public int[] StepOps { get; }

    /// <summary>Per step: its fused group, or null.</summary>
    public FusionGroup?[] Groups { get; }

    public Tensor[] Feeds { get; }
    public int[] FeedSlots { get; }
    public int[] FetchSlots { get; }
    public int SlotCount { get; }

    /// <summary>
    /// Steps from ops and groups: each group becomes one step waiting for everything its members wait for,
    /// and whatever waited for a member waits for the group. Steps keep plan order except where a
    /// group's position forces a move (a reader of an exported member placed before the group's last member).
    /// </summary>
    private (int[] StepOps, FusionGroup?[] Groups, HashSet<int>[] Preds) Fuse(HashSet<int>[] preds, List<FusionGroup> groups)
    {
        int n = Ops.Length;
        var units = new List<(int Op, FusionGroup? Group, int Position)>();
        var groupUnit = new int[n];
        Array.Fill(groupUnit, -1);
        foreach (var group in groups)
        {
            foreach (int k in group.Steps) groupUnit[k] = units.Count;
            units.Add((-1, group, group.Steps[^1]));
        }
        for (int i = 0; i < n; i++)
        {
            if (groupUnit[i] >= 0) continue;
            groupUnit[i] = units.Count;
            units.Add((i, null, i));
        }

        // Kahn's algorithm, always taking the ready unit earliest in plan order.
        var unitPreds = units.Select(_ => new HashSet<int>()).ToArray();
        for (int i = 0; i < n; i++)
            foreach (int p in preds[i])
                if (groupUnit[p] != groupUnit[i]) unitPreds[groupUnit[i]].Add(groupUnit[p]);
        var waiting = unitPreds.Select(p => p.Count).ToArray();
        var followers = units.Select(_ => new List<int>()).ToArray();
        for (int u = 0; u < units.Count; u++) foreach (int p in unitPreds[u]) followers[p].Add(u);
        var ready = new PriorityQueue<int, int>();
        for (int u = 0; u < units.Count; u++) if (waiting[u] == 0) ready.Enqueue(u, units[u].Position);
        var order = new List<int>();
        while (ready.TryDequeue(out int u, out _))
        {
            order.Add(u);
            foreach (int f in followers[u]) if (--waiting[f] == 0) ready.Enqueue(f, units[f].Position);
        }
        if (order.Count != units.Count) throw new InvalidOperationException("Fusing elementwise ops made the plan cyclic (a fusion bug).");

        var rank = new int[units.Count];
        for (int i = 0; i < order.Count; i++) rank[order[i]] = i;
        var stepPreds = order.Select(u => new HashSet<int>(unitPreds[u].Select(p => rank[p]))).ToArray();
        return (order.Select(u => units[u].Op).ToArray(), order.Select(u => units[u].Group).ToArray(), stepPreds);
    }

    /// <summary>Whether this plan's runs use the parallel scheduler (<see cref="InterOpMode.Auto"/>).</summary>
    public ScheduleChooser Schedule { get; } = new();

    public RunState Rent()
    {
        lock (_idleStates)
            if (_idleStates.TryPop(out var state)) return state;
        return new RunState(this);
    }

    public void Return(RunState state)
    {
        lock (_idleStates) _idleStates.Push(state);
    }

    /// <summary>
    /// Depth-first post-order from the fetches then the targets, in the order given: every op
    /// runs after its data and control inputs, and a fed tensor cuts the graph above it.
    /// Deterministic, so e.g. summaries fetched before a train op see the pre-update weights.
    /// Ops that only ordering needs (see <see cref="NeededOps"/>) are ordered through but not run.
    /// </summary>
    private static Operation[] Order(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, HashSet<Tensor> fed)
    {
        var needed = NeededOps(fetches, targets, fed);
        var order = new List<Operation>();
        var state = new Dictionary<Operation, bool>(); // false = visiting, true = done
        var stack = new Stack<(Operation Op, int Next)>();

        void Visit(Operation root)
        {
            if (state.ContainsKey(root)) return;
            stack.Push((root, 0));
            state[root] = false;
            while (stack.Count > 0)
            {
                var (op, next) = stack.Pop();
                int dataCount = op.Inputs.Count;
                int total = dataCount + op.ControlInputs.Count;
                bool pushed = false;
                while (next < total)
                {
                    Operation? dep = null;
                    if (next < dataCount)
                    {
                        var input = op.Inputs[next];
                        if (!fed.Contains(input)) dep = input.Op;
                    }
                    else dep = op.ControlInputs[next - dataCount];
                    next++;
                    if (dep is null) continue;
                    if (state.TryGetValue(dep, out bool done))
                    {
                        if (!done) throw new InvalidOperationException($"Graph has a cycle through '{dep.Name}'.");
                        continue;
                    }
                    stack.Push((op, next));
                    stack.Push((dep, 0));
                    state[dep] = false;
                    pushed = true;
                    break;
                }
                if (pushed) continue;
                state[op] = true;
                if (!needed.Contains(op)) continue;
                if (op.Definition is null)
                    throw new NotSupportedException(
                        $"Cannot run operation '{op.Name}': op type '{op.Type}' has no kernel in this engine (it was imported, and only running it fails).");
                order.Add(op);
            }
        }

        foreach (var f in fetches)
            if (!fed.Contains(f)) Visit(f.Op);
        foreach (var t in targets) Visit(t);
        return order.ToArray();
    }

    /// <summary>
    /// The ops a run must execute. An op whose value some executed op reads must run, and so
    /// must fetches, targets, stateful ops and NoOps reached through control edges. A pure op
    /// that is only a control input (e.g. the input-side gradients inside TF's gradient
    /// "tuple", which gate but are never read) has no observable effect: it is ordered through
    /// but skipped, while any stateful op above it still runs.
    /// </summary>
    private static HashSet<Operation> NeededOps(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, HashSet<Tensor> fed)
    {
        var valueNeeded = new HashSet<Operation>();
        var effectsNeeded = new HashSet<Operation>();
        var work = new Stack<(Operation Op, bool Value)>();
        foreach (var f in fetches) if (!fed.Contains(f)) work.Push((f.Op, true));
        foreach (var t in targets) work.Push((t, true));
        while (work.Count > 0)
        {
            var (op, value) = work.Pop();
            bool runs = value || op.Outputs.Count == 0 || (op.Definition?.IsStateful ?? true);
            if (runs ? !valueNeeded.Add(op) : valueNeeded.Contains(op) || !effectsNeeded.Add(op)) continue;
            foreach (var input in op.Inputs)
                if (!fed.Contains(input)) work.Push((input.Op, runs));
            foreach (var control in op.ControlInputs) work.Push((control, false));
        }
        return valueNeeded;
    }
}

/// <summary>One run's slots and kernel contexts (with their persistent output buffers).</summary>
internal sealed class RunState
{
    public RunState(ExecutionPlan plan)
    {
        Session = plan.Session;
        Slots = new NDArray?[plan.SlotCount];
        KernelContext ForOp(int k) => new(Session, Slots, plan.Ops[k], plan.OpInputSlots[k], plan.OpOutputSlots[k]);
        Contexts = new KernelContext[plan.Steps.Length];
        for (int i = 0; i < Contexts.Length; i++)
        {
            if (plan.Groups[i] is not { } group) { Contexts[i] = ForOp(plan.StepOps[i]); continue; }
            var members = group.Steps.Select(ForOp).ToArray();
            int root = group.Steps[^1];
            Contexts[i] = new KernelContext(Session, Slots, plan.Ops[root], plan.OpInputSlots[root], plan.OpOutputSlots[root], group.CreateKernel(members));
        }
        Parallel = new ParallelRun(plan, this);
    }

    public Session Session { get; }
    public NDArray?[] Slots { get; }
    public KernelContext[] Contexts { get; }

    /// <summary>The scheduler state for running this state's steps on several threads.</summary>
    public ParallelRun Parallel { get; }
}
