using TfMnist.Inspect;

namespace TfMnist.Predictor.Inspect;

/// <summary><c>inspect graph</c> as text: scopes with their op types, placeholders, candidate outputs.</summary>
internal static class GraphText
{
    public static void Write(TextWriter o, GraphReport report)
    {
        string producer = report.Producer is { } p ? $", producer version {p}" : "";
        o.WriteLine($"graph of {report.Nodes} nodes{producer}:");
        o.WriteLine($"  {report.Source}");
        o.WriteLine();
        var scopes = new TextTable("scope", "nodes", "op types").AlignRight(1);
        foreach (var s in report.Scopes)
            scopes.Add(s.Scope, TextFormat.Integer(s.Nodes), string.Join(", ", s.OpTypes.Select(kv => kv.Value == 1 ? kv.Key : $"{kv.Key}({kv.Value})")));
        scopes.WriteTo(o);

        o.WriteLine();
        o.WriteLine("placeholders (candidate --input):");
        var inputs = new TextTable("tensor", "dtype", "shape");
        foreach (var t in report.Placeholders) inputs.Add(t.Tensor, t.Dtype ?? "?", TextFormat.Shape(t.Shape));
        inputs.WriteTo(o, "  ");

        o.WriteLine();
        o.WriteLine("candidate outputs (--output), with the placeholders each depends on:");
        var outputs = new TextTable("tensor", "op", "dtype", "shape", "why", "depends on");
        foreach (var c in report.Outputs)
            outputs.Add(c.Output.Tensor, c.Output.Op, c.Output.Dtype ?? "?", TextFormat.Shape(c.Output.Shape), string.Join(",", c.Reasons),
                c.Placeholders.Count == 0 ? "-" : string.Join(", ", c.Placeholders));
        outputs.WriteTo(o, "  ");
    }
}
