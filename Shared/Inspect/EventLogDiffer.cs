namespace TfMnist.Inspect;

/// <summary>
/// Compares two event logs run by run: the layers and tags each holds (with TF's renames), kinds
/// that differ, every common scalar curve at the steps both have, and the graphs when both runs have one.
/// </summary>
internal static class EventLogDiffer
{
    public static EventLogDiff Diff(IReadOnlyList<RunContents> a, IReadOnlyList<RunContents> b)
    {
        var pairs = new List<(RunContents A, RunContents B)>();
        List<string> onlyA = [], onlyB = [];
        if (a.Count == 1 && b.Count == 1)
        {
            pairs.Add((a[0], b[0])); // one writer each: compare them whatever their directories are called
        }
        else
        {
            var byName = b.ToDictionary(r => r.Summary.Run, StringComparer.Ordinal);
            foreach (var run in a)
            {
                if (byName.Remove(run.Summary.Run, out var other)) pairs.Add((run, other));
                else onlyA.Add(run.Summary.Run);
            }
            onlyB.AddRange(byName.Keys.Order(StringComparer.Ordinal));
        }
        return new EventLogDiff(onlyA, onlyB, pairs.Select(p => DiffRun(p.A, p.B)).ToList());
    }

    private static RunDiff DiffRun(RunContents a, RunContents b)
    {
        var kindsA = Kinds(a);
        var kindsB = Kinds(b);
        var tags = NameMatching.Compare(kindsA.Keys, kindsB.Keys);
        var layers = NameMatching.Compare(GraphDiffer.Layers(kindsA.Keys), GraphDiffer.Layers(kindsB.Keys));
        var pairs = kindsA.Keys.Where(kindsB.ContainsKey).Select(t => (A: t, B: t)).Concat(tags.Renamed.Select(r => (r.A, r.B))).ToList();
        var kindChanges = pairs.Where(p => kindsA[p.A] != kindsB[p.B])
            .Select(p => new KindChange(p.A == p.B ? p.A : $"{p.A} -> {p.B}", kindsA[p.A], kindsB[p.B])).ToList();
        var scalars = pairs.Where(p => a.Curves.ContainsKey(p.A) && b.Curves.ContainsKey(p.B))
            .Select(p => Compare(p.A, a.Curves[p.A], p.B, b.Curves[p.B]))
            .OrderBy(s => s.TagA, StringComparer.Ordinal).ToList();
        GraphDiff? graph = a.GraphDef is { } ga && b.GraphDef is { } gb
            ? GraphDiffer.Diff(GraphLoader.ParseGraphDef(ga, a.Summary.Run), GraphLoader.ParseGraphDef(gb, b.Summary.Run))
            : null;
        return new RunDiff(a.Summary.Run, b.Summary.Run, layers, tags, kindChanges, scalars, graph);
    }

    /// <summary>Tag -> kind; a tag written with two kinds (rare) keeps the first.</summary>
    private static Dictionary<string, string> Kinds(RunContents run)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in run.Summary.Tags) kinds.TryAdd(tag.Tag, tag.Kind);
        return kinds;
    }

    private static ScalarComparison Compare(string tagA, SortedDictionary<long, double> a, string tagB, SortedDictionary<long, double> b)
    {
        int common = 0;
        long? finalStep = null, gapStep = null;
        double? gap = null;
        foreach (var (step, va) in a)
        {
            if (!b.TryGetValue(step, out double vb)) continue;
            common++;
            finalStep = step;
            double d = Math.Abs(va - vb);
            if (gap is null || d > gap) (gap, gapStep) = (d, step);
        }
        return new ScalarComparison(tagA, tagB, a.Count, b.Count, a.Values.Last(), b.Values.Last(), common, finalStep,
            finalStep is { } s ? a[s] : null, finalStep is { } t ? b[t] : null, gap, gapStep);
    }
}
