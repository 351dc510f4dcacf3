using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>Compares two GraphDefs by node name: layers, names (with TF's renames) and op types.</summary>
internal static class GraphDiffer
{
    public static GraphDiff Diff(GraphDef a, GraphDef b)
    {
        var opsA = OpTypes(a);
        var opsB = OpTypes(b);
        var nodes = NameMatching.Compare(opsA.Keys, opsB.Keys);
        var layers = NameMatching.Compare(Layers(opsA.Keys), Layers(opsB.Keys));
        // Same name, or a rename: the op behind it should still be the same type.
        var pairs = opsA.Keys.Where(opsB.ContainsKey).Select(n => (A: n, B: n)).Concat(nodes.Renamed.Select(r => (r.A, r.B)));
        var changes = pairs.Where(p => opsA[p.A] != opsB[p.B])
            .Select(p => new KindChange(p.A == p.B ? p.A : $"{p.A} -> {p.B}", opsA[p.A], opsB[p.B]))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new GraphDiff(a.Node.Count, b.Node.Count, layers, nodes, changes);
    }

    /// <summary>The distinct first parts of the names: a graph's (or a log's) layers.</summary>
    public static IEnumerable<string> Layers(IEnumerable<string> names) =>
        names.Where(n => n.Contains('/')).Select(n => n[..n.IndexOf('/')]).Distinct(StringComparer.Ordinal);

    private static Dictionary<string, string> OpTypes(GraphDef graph)
    {
        var ops = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node) ops.TryAdd(node.Name, node.Op);
        return ops;
    }
}
