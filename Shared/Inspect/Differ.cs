using TfMnist.Checkpoint;

namespace TfMnist.Inspect;

/// <summary>
/// <c>inspect diff A B</c>: detects what both paths hold (<see cref="InspectPaths.Detect"/>) and
/// compares them as event logs, graphs or checkpoints; two different kinds are bad input.
/// </summary>
public static class Differ
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>; throws <see cref="InspectInputException"/> for two kinds or an unreadable path.</summary>
    public static DiffReport Diff(string a, string b)
    {
        var kindA = InspectPaths.Detect(a);
        var kindB = InspectPaths.Detect(b);
        if (kindA != kindB)
            throw new InspectInputException($"cannot compare '{a}' ({Name(kindA)}) with '{b}' ({Name(kindB)}): give two of the same kind");
        switch (kindA)
        {
            case InspectKind.Events:
                var events = EventLogDiffer.Diff(EventLogInspector.ReadRuns(a, keepCurves: true), EventLogInspector.ReadRuns(b, keepCurves: true));
                bool eventsEqual = events.RunsOnlyInA.Count == 0 && events.RunsOnlyInB.Count == 0
                    && events.Runs.All(r => r.Tags.HasNoDifference() && r.KindChanges.Count == 0 && (r.Graph is null || IsEqual(r.Graph)));
                return new DiffReport(Name(kindA), a, b, eventsEqual, Events: events);
            case InspectKind.Graph:
                var (graphA, _) = GraphLoader.Load(a);
                var (graphB, _) = GraphLoader.Load(b);
                var graph = GraphDiffer.Diff(graphA, graphB);
                return new DiffReport(Name(kindA), a, b, IsEqual(graph), Graph: graph);
            default:
                var checkpoint = CheckpointDiffer.Diff(
                    BundleReader.Open(InspectPaths.CheckpointPrefix(a)), BundleReader.Open(InspectPaths.CheckpointPrefix(b)));
                bool structureEqual = checkpoint.Tensors.HasNoDifference()
                    && checkpoint.Changed.All(c => c.DtypeA == c.DtypeB && c.ShapeA.SequenceEqual(c.ShapeB));
                return new DiffReport(Name(kindA), a, b, structureEqual, Checkpoint: checkpoint);
        }
    }

    private static bool IsEqual(GraphDiff graph) => graph.Nodes.HasNoDifference() && graph.OpTypeChanges.Count == 0;

    /// <summary>The kind as the report spells it: <c>events</c>, <c>graph</c>, <c>checkpoint</c>.</summary>
    public static string Name(InspectKind kind) => kind switch
    {
        InspectKind.Events => "events",
        InspectKind.Graph => "graph",
        _ => "checkpoint",
    };
}
