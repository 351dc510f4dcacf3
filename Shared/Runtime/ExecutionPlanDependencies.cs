using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>The plan as a dependency graph, for running independent ops at the same time.</summary>
internal sealed partial class ExecutionPlan
{
    /// <summary>For each step, the steps that wait for it (a fused group is one step).</summary>
    public int[][] Successors { get; }

    /// <summary>For each step, how many steps it waits for.</summary>
    public int[] InitialPending { get; }

    /// <summary>
    /// For each executed op, the ops it waits for: data and control inputs, followed through skipped
    /// (control-only) ops to the ops behind them, plus "read before write" edges that make every op
    /// reading a variable finish before an op that updates that variable in place — the order the
    /// sequential plan gives, so parallel runs compute exactly the same values.
    /// </summary>
    private static HashSet<int>[] Predecessors(Operation[] steps, HashSet<Tensor> fed)
    {
        var index = new Dictionary<Operation, int>();
        for (int i = 0; i < steps.Length; i++) index[steps[i]] = i;
        var preds = new HashSet<int>[steps.Length];
        var skippedMemo = new Dictionary<Operation, HashSet<int>>();

        HashSet<int> StepsBehind(Operation op)
        {
            if (index.TryGetValue(op, out int i)) return [i];
            if (skippedMemo.TryGetValue(op, out var known)) return known;
            var result = new HashSet<int>();
            skippedMemo[op] = result;
            foreach (var input in op.Inputs)
                if (!fed.Contains(input)) result.UnionWith(StepsBehind(input.Op));
            foreach (var control in op.ControlInputs) result.UnionWith(StepsBehind(control));
            return result;
        }

        for (int i = 0; i < steps.Length; i++)
        {
            preds[i] = new HashSet<int>();
            foreach (var input in steps[i].Inputs)
                if (!fed.Contains(input)) preds[i].UnionWith(StepsBehind(input.Op));
            foreach (var control in steps[i].ControlInputs) preds[i].UnionWith(StepsBehind(control));
        }

        AddReadBeforeWrite(steps, index, preds);
        for (int i = 0; i < steps.Length; i++) preds[i].Remove(i);
        return preds;
    }

    /// <summary>Successor lists and pending counts of a step graph given by its predecessor sets.</summary>
    private static (int[][] Successors, int[] Pending) Edges(HashSet<int>[] preds)
    {
        var successors = new List<int>[preds.Length];
        for (int i = 0; i < preds.Length; i++) successors[i] = new List<int>();
        var pending = new int[preds.Length];
        for (int i = 0; i < preds.Length; i++)
        {
            pending[i] = preds[i].Count;
            foreach (int p in preds[i]) successors[p].Add(i);
        }
        return (successors.Select(s => s.ToArray()).ToArray(), pending);
    }

    private static void AddReadBeforeWrite(Operation[] steps, Dictionary<Operation, int> index, HashSet<int>[] preds)
    {
        for (int w = 0; w < steps.Length; w++)
        {
            var writer = steps[w];
            if (writer.Definition?.MutatedRefInputs is not { Count: > 0 } refInputs) continue;
            var descendants = Descendants(w, steps, index);
            // Every step that reads a written variable's buffer, directly or through views of it.
            var aliases = new Stack<Tensor>(refInputs.Select(i => writer.Inputs[i]));
            var seen = new HashSet<Tensor>();
            while (aliases.Count > 0)
            {
                var t = aliases.Pop();
                if (!seen.Add(t)) continue;
                foreach (var consumer in Consumers(t))
                {
                    // An op that forwards its input's buffer makes its readers readers of the variable.
                    if (ForwardedStorage.Forwards(consumer, 0, t)) aliases.Push(consumer.Outputs[0]);
                    if (!index.TryGetValue(consumer, out int r) || r == w || descendants.Contains(r)) continue;
                    // Another writer of the variable with no order to this one (TF leaves theirs undefined): the
                    // earlier in plan order goes first, so two writers never wait for each other (a cycle).
                    if (r > w && Writes(consumer, t)) continue;
                    preds[w].Add(r);
                }
            }
        }
    }

    private static bool Writes(Operation op, Tensor variable) =>
        op.Definition?.MutatedRefInputs is { Count: > 0 } refs && refs.Any(i => op.Inputs[i] == variable);

    private static IEnumerable<Operation> Consumers(Tensor t) =>
        t.Op.Consumers.Where(c => c.Inputs.Contains(t));

    /// <summary>The steps downstream of a step (through data and control edges, and through skipped ops).</summary>
    private static HashSet<int> Descendants(int start, Operation[] steps, Dictionary<Operation, int> index)
    {
        var visited = new HashSet<Operation>();
        var stack = new Stack<Operation>([steps[start]]);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            foreach (var next in op.Consumers) if (visited.Add(next)) stack.Push(next);
            foreach (var next in op.ControlOutputs) if (visited.Add(next)) stack.Push(next);
        }
        var result = new HashSet<int>();
        foreach (var op in visited)
            if (index.TryGetValue(op, out int i)) result.Add(i);
        return result;
    }
}
