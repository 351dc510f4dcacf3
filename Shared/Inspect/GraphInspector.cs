using TfMnist.Framework;
using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>
/// <c>saved_model_cli show</c> for a TF 1.x graph: nodes by name scope, the placeholders (what
/// <c>--input</c> can name) and the candidate outputs with the placeholders each depends on, so a
/// user knows what to pass to the predictor for a checkpoint someone else wrote.
/// </summary>
public static class GraphInspector
{
    /// <param name="path">A .meta/.pb file, a checkpoint directory or prefix, an event file or log directory.</param>
    /// <param name="depth">How many parts of a node's name make its scope (1: <c>layerHidden1</c>; 2: <c>layerHidden1/weights</c>).</param>
    public static GraphReport Inspect(string path, int depth = 1)
    {
        var (graphDef, source) = GraphLoader.Load(path);
        return Inspect(graphDef, source, depth);
    }

    /// <summary>The report of a GraphDef already read; <paramref name="source"/> names it in the report and in errors.</summary>
    public static GraphReport Inspect(GraphDef graphDef, string source, int depth = 1)
    {
        var nodes = new Dictionary<string, NodeDef>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node) nodes.TryAdd(node.Name, node);
        var tensors = new GraphTensors(graphDef, nodes, source);
        var scopes = graphDef.Node
            .GroupBy(n => Scope(n.Name, depth), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ScopeSummary(g.Key, g.Count(), g.GroupBy(n => n.Op, StringComparer.Ordinal)
                .OrderByDescending(o => o.Count()).ThenBy(o => o.Key, StringComparer.Ordinal)
                .ToDictionary(o => o.Key, o => o.Count(), StringComparer.Ordinal)))
            .ToList();
        var placeholders = graphDef.Node.Where(n => IsPlaceholder(n.Op) && !OutputCandidates.IsMachinery(n)).Select(n => tensors.Describe(n.Name)).ToList();
        var outputs = OutputCandidates.Find(graphDef, nodes, tensors);
        return new GraphReport(source, graphDef.Versions?.Producer, graphDef.Node.Count, scopes, placeholders, outputs);
    }

    /// <summary>The first <paramref name="depth"/> parts of a node's scope; <c>(root)</c> for a node outside any scope.</summary>
    public static string Scope(string name, int depth)
    {
        string[] parts = name.Split('/');
        return parts.Length == 1 ? "(root)" : string.Join('/', parts.Take(Math.Min(depth, parts.Length - 1)));
    }

    internal static bool IsPlaceholder(string op) => op is "Placeholder" or "PlaceholderV2" or "PlaceholderWithDefault";

    /// <summary>The op name a NodeDef input names (<c>"^a"</c>, <c>"a:1"</c> -> <c>a</c>).</summary>
    internal static string InputOp(string input) => GraphDefImporter.ParseInput(input).Name;
}
