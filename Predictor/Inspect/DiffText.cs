using TfMnist.Inspect;

namespace TfMnist.Predictor.Inspect;

/// <summary><c>inspect diff</c> as text: what is only in A, only in B, renamed (and why), changed; then the scalar curves.</summary>
internal static class DiffText
{
    public static void Write(TextWriter o, DiffReport report)
    {
        o.WriteLine($"diff of two {(report.Kind == "events" ? "event logs" : report.Kind + "s")}");
        o.WriteLine($"  A: {report.A}");
        o.WriteLine($"  B: {report.B}");
        o.WriteLine(report.Equal ? "equal in structure" : "different in structure");
        if (report.Events is { } events) WriteEvents(o, events);
        if (report.Graph is { } graph) WriteGraph(o, graph, "");
        if (report.Checkpoint is { } checkpoint) WriteCheckpoint(o, checkpoint);
    }

    private static void WriteEvents(TextWriter o, EventLogDiff diff)
    {
        WriteList(o, "runs only in A", diff.RunsOnlyInA, "");
        WriteList(o, "runs only in B", diff.RunsOnlyInB, "");
        if (diff.Runs.Count == 0)
            foreach (string line in TextTable.Wrap("No run of A has a run of the same name in B: give two run directories "
                + "(e.g. eventlog/test) to compare one writer with another.", TextTable.Width))
                o.WriteLine(line);
        foreach (var run in diff.Runs)
        {
            o.WriteLine();
            o.WriteLine($"run {run.RunA} (A) against run {run.RunB} (B)");
            WriteNames(o, "layers", run.Layers, "  ");
            WriteNames(o, "tags", run.Tags, "  ");
            WriteChanges(o, "kinds that differ", run.KindChanges, "  ");
            if (run.Scalars.Count > 0)
            {
                o.WriteLine();
                o.WriteLine("  scalars at their common steps: the values at the last one, the largest gap");
                var table = new TextTable("scalar", "steps", "final A", "final B", "|A - B| max", "at step").AlignRight(1, 2, 3, 4, 5);
                foreach (var s in run.Scalars)
                    table.Add(s.TagA == s.TagB ? s.TagA : $"{s.TagA} -> {s.TagB}", TextFormat.Integer(s.CommonSteps),
                        TextFormat.Number(s.FinalA), TextFormat.Number(s.FinalB), TextFormat.Number(s.LargestGap),
                        s.LargestGapStep is { } step ? TextFormat.Integer(step) : "-");
                table.WriteTo(o, "  ");
            }
            if (run.Graph is { } graph) WriteGraph(o, graph, "  ");
        }
    }

    private static void WriteGraph(TextWriter o, GraphDiff diff, string indent)
    {
        o.WriteLine();
        o.WriteLine($"{indent}graphs: {diff.NodesA} nodes in A, {diff.NodesB} in B");
        WriteNames(o, "layers", diff.Layers, indent + "  ");
        WriteNames(o, "nodes", diff.Nodes, indent + "  ");
        WriteChanges(o, "op types that differ", diff.OpTypeChanges, indent + "  ");
    }

    private static void WriteCheckpoint(TextWriter o, CheckpointDiff diff)
    {
        o.WriteLine($"  checkpoint A: {diff.PrefixA}");
        o.WriteLine($"  checkpoint B: {diff.PrefixB}");
        WriteNames(o, "tensors", diff.Tensors, "  ");
        if (diff.Changed.Count == 0) return;
        o.WriteLine();
        var table = new TextTable("tensor", "dtype A/B", "shape A", "shape B", "max |A - B|").AlignRight(4);
        foreach (var c in diff.Changed)
            table.Add(c.Name, c.DtypeA == c.DtypeB ? c.DtypeA : $"{c.DtypeA}/{c.DtypeB}", TextFormat.Shape(c.ShapeA), TextFormat.Shape(c.ShapeB),
                c.MaxAbsDiff is { } d ? TextFormat.Number(d) : "-");
        table.WriteTo(o, "  ");
    }

    private static void WriteNames(TextWriter o, string what, NameDiff diff, string indent)
    {
        WriteList(o, $"{what} only in A", diff.OnlyInA, indent);
        WriteList(o, $"{what} only in B", diff.OnlyInB, indent);
        foreach (var n in diff.Naming)
        {
            o.WriteLine($"{indent}'{n.A}' in A is '{n.B}' in B, in {n.Count} of the {what} above, e.g.");
            o.WriteLine($"{indent}  A {n.ExampleA}");
            o.WriteLine($"{indent}  B {n.ExampleB}");
            foreach (string line in TextTable.Wrap("why: " + n.Reason, TextTable.Width - indent.Length - 2))
                o.WriteLine($"{indent}  {line}");
        }
        if (diff.Renamed.Count == 0) return;
        o.WriteLine($"{indent}{what} renamed ({diff.Renamed.Count}):");
        foreach (var r in diff.Renamed)
        {
            o.WriteLine($"{indent}  A {r.A}");
            o.WriteLine($"{indent}  B {r.B}");
            foreach (string line in TextTable.Wrap("why: " + r.Reason, TextTable.Width - indent.Length - 4))
                o.WriteLine($"{indent}    {line}");
        }
    }

    private static void WriteChanges(TextWriter o, string what, IReadOnlyList<KindChange> changes, string indent)
    {
        if (changes.Count == 0) return;
        o.WriteLine($"{indent}{what} ({changes.Count}):");
        var table = new TextTable("name", "A", "B");
        foreach (var c in changes) table.Add(c.Name, c.A, c.B);
        table.WriteTo(o, indent + "  ");
    }

    private static void WriteList(TextWriter o, string title, IReadOnlyList<string> names, string indent)
    {
        if (names.Count == 0) return;
        o.WriteLine($"{indent}{title} ({names.Count}):");
        foreach (string name in TextFormat.Capped(names)) o.WriteLine($"{indent}  {name}");
    }
}
