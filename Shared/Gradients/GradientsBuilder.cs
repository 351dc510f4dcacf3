using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Gradients;

/// <summary>
/// Symbolic differentiation as TF 1.x's tf.gradients builds it: find the ops between xs and
/// ys, walk them from ys in dependency order (pending counts), sum fan-out gradients with AddN,
/// build each op's gradient under "gradients/&lt;op&gt;_grad/", optionally gate multi-input
/// gradients with a tuple, and fail naming the op when a gradient is not defined.
/// </summary>
public static class GradientsBuilder
{
    public static Tensor?[] Build(IReadOnlyList<Tensor> ys, IReadOnlyList<Tensor> xs,
        IReadOnlyList<Tensor>? gradYs = null, string name = "gradients", bool gateGradients = false)
    {
        if (ys.Count == 0) throw new ArgumentException("gradients needs at least one y.");
        var graph = ys[0].Graph;
        using var scope = graph.NameScope(name);

        var toOps = ys.Select(y => y.Op).Distinct().ToList();
        var fromOps = xs.Select(x => x.Op).Distinct().ToList();
        var (between, pending) = PendingCounts(toOps, fromOps);

        // d(y)/d(y) = 1 unless the caller provides gradients for ys.
        var grads = new Dictionary<Operation, List<Tensor>?[]>();
        for (int i = 0; i < ys.Count; i++)
        {
            var y = ys[i];
            Tensor gy = gradYs?[i] ?? FillOp.Create(ShapeOp.Create(y), ConstOp.Scalar(graph, 1f, y.DType, $"grad_ys_{i}"));
            AddGrad(grads, y, gy);
        }

        var reachableToOps = ReachableBackwards(toOps);
        var queue = new Queue<Operation>();
        var queued = new HashSet<Operation>();
        foreach (var op in toOps)
            if (pending.GetValueOrDefault(op) == 0 && reachableToOps.Contains(op) && queued.Add(op))
                queue.Enqueue(op);

        while (queue.Count > 0)
        {
            var op = queue.Dequeue();
            var outGrads = AggregatedGrads(grads, op);
            bool hasOutGrads = outGrads.Any(g => g is not null);
            Tensor?[] inGrads;
            GradientFunction? gradFn = null;
            if (hasOutGrads && !fromOps.Contains(op))
            {
                var definition = op.Definition;
                if (definition is null || (definition.Gradient is null && !definition.IsNotDifferentiable))
                    throw new LookupException($"No gradient defined for operation '{op.Name}' (op type: {op.Type})");
                gradFn = definition.Gradient;
            }
            if (gradFn is not null && hasOutGrads)
            {
                for (int i = 0; i < outGrads.Length; i++)
                    if (outGrads[i] is null && op.Outputs[i].DType.IsFloating())
                        outGrads[i] = ZerosLikeOp.Create(op.Outputs[i]);
                using (graph.NameScope(op.Name + "_grad"))
                {
                    inGrads = gradFn(op, outGrads);
                    if (inGrads.Length != op.Inputs.Count)
                        throw new InvalidOperationException(
                            $"Gradient of '{op.Name}' ({op.Type}) returned {inGrads.Length} values for {op.Inputs.Count} inputs.");
                    if (gateGradients && inGrads.Count(g => g is not null) > 1)
                        inGrads = ControlFlow.Tuple(inGrads);
                }
            }
            else inGrads = new Tensor?[op.Inputs.Count];

            for (int i = 0; i < inGrads.Length; i++)
            {
                var g = inGrads[i];
                if (g is null) continue;
                var input = op.Inputs[i];
                if (!g.Shape.IsCompatibleWith(input.Shape))
                    throw new ShapeMismatchException(
                        $"Incompatible shapes between op input and calculated input gradient. Forward operation: {op.Name}. Input index: {i}. Original input shape: {input.Shape}. Calculated input gradient shape: {g.Shape}");
                g.SetShape(input.Shape);
                AddGrad(grads, input, g);
            }

            // An input op is ready once every between-op consuming it has passed gradients down.
            foreach (var input in op.Inputs)
            {
                var producer = input.Op;
                if (!pending.ContainsKey(producer)) continue;
                pending[producer]--;
                if (pending[producer] == 0 && queued.Add(producer)) queue.Enqueue(producer);
            }
        }

        var result = new Tensor?[xs.Count];
        for (int i = 0; i < xs.Count; i++)
        {
            var x = xs[i];
            result[i] = AggregatedGrads(grads, x.Op)[x.Index];
        }
        return result;
    }

    private static (HashSet<Operation> Between, Dictionary<Operation, int> Pending) PendingCounts(
        List<Operation> toOps, List<Operation> fromOps)
    {
        // Ops reachable forward from xs...
        var reached = new HashSet<Operation>();
        var stack = new Stack<Operation>(fromOps);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!reached.Add(op)) continue;
            foreach (var c in op.Consumers) stack.Push(c);
        }
        // ...that also lead to ys are "between"; only their edges count as pending.
        var between = new HashSet<Operation>();
        var queue = new Queue<Operation>(toOps);
        while (queue.Count > 0)
        {
            var op = queue.Dequeue();
            if (!reached.Remove(op)) continue;
            between.Add(op);
            foreach (var input in op.Inputs) queue.Enqueue(input.Op);
        }
        var pending = new Dictionary<Operation, int>();
        foreach (var op in between)
            foreach (var input in op.Inputs)
                if (between.Contains(input.Op))
                    pending[input.Op] = pending.GetValueOrDefault(input.Op) + 1;
        foreach (var op in between) pending.TryAdd(op, 0);
        return (between, pending);
    }

    private static HashSet<Operation> ReachableBackwards(List<Operation> toOps)
    {
        var seen = new HashSet<Operation>();
        var stack = new Stack<Operation>(toOps);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!seen.Add(op)) continue;
            foreach (var input in op.Inputs) stack.Push(input.Op);
        }
        return seen;
    }

    private static void AddGrad(Dictionary<Operation, List<Tensor>?[]> grads, Tensor t, Tensor grad)
    {
        if (!grads.TryGetValue(t.Op, out var perOutput))
            grads[t.Op] = perOutput = new List<Tensor>?[t.Op.Outputs.Count];
        (perOutput[t.Index] ??= new List<Tensor>()).Add(grad);
    }

    /// <summary>One gradient per output: the single one, or the AddN of several (TF's default aggregation).</summary>
    private static Tensor?[] AggregatedGrads(Dictionary<Operation, List<Tensor>?[]> grads, Operation op)
    {
        var result = new Tensor?[op.Outputs.Count];
        if (!grads.TryGetValue(op, out var perOutput)) return result;
        for (int i = 0; i < result.Length; i++)
        {
            var list = perOutput[i];
            if (list is null || list.Count == 0) continue;
            result[i] = list.Count == 1 ? list[0] : AddNOp.Create(list);
            perOutput[i] = new List<Tensor> { result[i]! };
        }
        return result;
    }
}

/// <summary>A name with no registered entry (Python's LookupError), e.g. a missing gradient.</summary>
public sealed class LookupException(string message) : InvalidOperationException(message);
