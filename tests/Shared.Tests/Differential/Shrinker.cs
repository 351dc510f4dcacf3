namespace TfMnist.Tests.Differential;

/// <summary>
/// Greedy test-case reduction (delta debugging in spirit): repeatedly tries a smaller graph — a fetch
/// dropped, a node replaced by a fed value or bypassed by its input, a shape symbol shrunk, a value made
/// plain — and keeps it when the same executor still fails the same way, until nothing smaller fails.
/// </summary>
internal static class Shrinker
{
    public static (GraphSpec Spec, CaseOutcome Outcome, int Checks) Shrink(GraphSpec spec, CaseOutcome failure, int maxChecks = 400)
    {
        var configs = new[] { failure.Config! };
        int checks = 0;
        var best = (Spec: spec, Outcome: failure);
        bool progress = true;
        while (progress && checks < maxChecks)
        {
            progress = false;
            foreach (var candidate in Candidates(best.Spec))
            {
                if (checks++ >= maxChecks) break;
                var outcome = DifferentialRunner.Check(candidate, configs);
                if (!outcome.Failed || outcome.Kind != failure.Kind) continue;
                best = (candidate, outcome);
                progress = true;
                break;
            }
        }
        return (best.Spec, best.Outcome, checks);
    }

    /// <summary>Smaller variants, most drastic first.</summary>
    private static IEnumerable<GraphSpec> Candidates(GraphSpec spec)
    {
        var nodes = spec.Nodes;
        // Fewer fetches.
        if (spec.FetchCount > 1)
            for (int i = 0; i < nodes.Count; i++)
                if (nodes[i].Fetched)
                    yield return With(spec, i, nodes[i] with { Fetched = false });
        // Fewer updates.
        for (int i = nodes.Count - 1; i >= 0; i--)
            if (GraphSpec.IsUpdate(nodes[i].Kind) && !nodes.Any(n => n.Kind == NodeKind.ReadAfter && n.Inputs[1] == i))
                yield return Without(spec, i);
        // An op bypassed by an input of its shape, or replaced by a fed value of its shape.
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            if (node.Kind is NodeKind.Placeholder or NodeKind.Const or NodeKind.Variable || GraphSpec.IsUpdate(node.Kind)) continue;
            foreach (int input in node.Inputs.Distinct())
                if (nodes[input].Shape.SequenceEqual(node.Shape) && !IsUpdateTarget(spec, i))
                    yield return Redirect(spec, i, input);
            if (!IsUpdateTarget(spec, i) && node.Kind is not (NodeKind.ScalarSummary or NodeKind.HistogramSummary))
                yield return With(spec, i, new SpecNode
                {
                    Kind = NodeKind.Placeholder, Shape = node.Shape, Values = ValueKind.Ordinary, ValueSeed = i, Fetched = node.Fetched,
                });
        }
        // Smaller shapes.
        for (int d = 0; d < spec.Dims.Length; d++)
            foreach (int size in new[] { 1, spec.Dims[d] / 2, spec.Dims[d] - 1 }.Distinct())
                if (size >= 1 && size < spec.Dims[d])
                {
                    var dims = (int[])spec.Dims.Clone();
                    dims[d] = size;
                    yield return spec with { Dims = dims };
                }
        // Plainer values.
        for (int i = 0; i < nodes.Count; i++)
            if (nodes[i].Kind is NodeKind.Placeholder or NodeKind.Const or NodeKind.Variable)
                foreach (var kind in Plainness.Take(Array.IndexOf(Plainness, nodes[i].Values)))
                    yield return With(spec, i, nodes[i] with { Values = kind });
        // Plainer switches.
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Kind == NodeKind.Dropout && nodes[i].Fed) yield return With(spec, i, nodes[i] with { Fed = false });
            if (nodes[i].Kind == NodeKind.Dropout && nodes[i].Param != 1f) yield return With(spec, i, nodes[i] with { Param = 1f });
        }
    }

    /// <summary>Value kinds, plainest first: a value is only ever replaced by a plainer one.</summary>
    private static readonly ValueKind[] Plainness =
        [ValueKind.Zeros, ValueKind.Ones, ValueKind.Ordinary, ValueKind.Binarisable, ValueKind.MostlyZero, ValueKind.Awkward];

    private static bool IsUpdateTarget(GraphSpec spec, int index) =>
        spec.Nodes.Any(n => (GraphSpec.IsUpdate(n.Kind) || n.Kind == NodeKind.ReadAfter) && n.Inputs[0] == index);

    private static GraphSpec With(GraphSpec spec, int index, SpecNode node)
    {
        var nodes = spec.Nodes.ToList();
        nodes[index] = node;
        return (spec with { Nodes = nodes }).Pruned();
    }

    private static GraphSpec Without(GraphSpec spec, int index)
    {
        var nodes = spec.Nodes.ToList();
        nodes[index] = new SpecNode { Kind = NodeKind.Const, Shape = [], Values = ValueKind.Zeros };
        return (spec with { Nodes = nodes }).Pruned();
    }

    /// <summary>Every reader of <paramref name="index"/> reads <paramref name="input"/> instead (the fetch moves too).</summary>
    private static GraphSpec Redirect(GraphSpec spec, int index, int input)
    {
        var nodes = spec.Nodes.Select(n => n with { Inputs = n.Inputs.Select(j => j == index ? input : j).ToArray() }).ToList();
        if (nodes[index].Fetched)
        {
            nodes[input] = nodes[input] with { Fetched = true };
            nodes[index] = nodes[index] with { Fetched = false };
        }
        return (spec with { Nodes = nodes }).Pruned();
    }
}
