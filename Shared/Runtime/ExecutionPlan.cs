using System.Collections.Concurrent;
using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>
/// The pruned, ordered list of ops that computes some fetches from some feeds, built once per
/// (fetches, feeds, targets) and reused. Per-run scratch lives in pooled <see cref="RunState"/>s,
/// so concurrent runs of one plan never share buffers.
/// </summary>
internal sealed partial class ExecutionPlan
{
    private readonly ConcurrentBag<RunState> _idleStates = new();

    public ExecutionPlan(Session session, IReadOnlyList<Tensor> fetches, IReadOnlyList<Tensor> feeds, IReadOnlyList<Operation> targets)
    {
        Session = session;
        Feeds = feeds.ToArray();
        var fed = new HashSet<Tensor>(feeds);
        Steps = Order(fetches, targets, fed);

        var slotOf = new Dictionary<Tensor, int>();
        int Slot(Tensor t)
        {
            if (!slotOf.TryGetValue(t, out int s)) slotOf[t] = s = slotOf.Count;
            return s;
        }
        FeedSlots = Feeds.Select(Slot).ToArray();
        StepInputSlots = Steps.Select(op => op.Inputs.Select(Slot).ToArray()).ToArray();
        StepOutputSlots = Steps.Select(op => op.Outputs.Select(Slot).ToArray()).ToArray();
        FetchSlots = fetches.Select(Slot).ToArray();
        SlotCount = slotOf.Count;
        foreach (var op in Steps) op.Definition!.Prepare(op);
        (Successors, InitialPending) = Dependencies(Steps, fed);
    }

    public Session Session { get; }
    public Operation[] Steps { get; }
    public Tensor[] Feeds { get; }
    public int[] FeedSlots { get; }
    public int[][] StepInputSlots { get; }
    public int[][] StepOutputSlots { get; }
    public int[] FetchSlots { get; }
    public int SlotCount { get; }

    /// <summary>Whether this plan's runs use the parallel scheduler (<see cref="InterOpMode.Auto"/>).</summary>
    public ScheduleChooser Schedule { get; } = new();

    public RunState Rent() => _idleStates.TryTake(out var state) ? state : new RunState(this);
    public void Return(RunState state) => _idleStates.Add(state);

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
        Contexts = new KernelContext[plan.Steps.Length];
        for (int i = 0; i < Contexts.Length; i++)
            Contexts[i] = new KernelContext(this, plan.Steps[i], plan.StepInputSlots[i], plan.StepOutputSlots[i]);
        Parallel = new ParallelRun(plan, this);
    }

    public Session Session { get; }
    public NDArray?[] Slots { get; }
    public KernelContext[] Contexts { get; }

    /// <summary>The scheduler state for running this state's steps on several threads.</summary>
    public ParallelRun Parallel { get; }
}
