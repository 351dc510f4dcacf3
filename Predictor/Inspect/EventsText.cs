using TfMnist.Inspect;

namespace TfMnist.Predictor.Inspect;

/// <summary>
/// <c>inspect events</c> as text: per run its files, its tags (run metadata folded into one row,
/// as they are one per traced step) and its scalars' ranges.
/// </summary>
internal static class EventsText
{
    public static void Write(TextWriter o, EventLogReport report)
    {
        o.WriteLine($"event log with {report.Runs.Count} run(s):");
        o.WriteLine($"  {report.Path}");
        foreach (var run in report.Runs)
        {
            o.WriteLine();
            long records = run.Files.Sum(f => f.Records), bytes = run.Files.Sum(f => f.Bytes);
            o.WriteLine($"run {run.Run}: {run.Files.Count} file(s), {records} records, {TextFormat.Bytes(bytes)}");
            foreach (var f in run.Files)
            {
                string tail = f.TruncatedBytes > 0 ? $"truncated last record ({f.TruncatedBytes} bytes)" : "no truncated record";
                o.WriteLine($"  {Path.GetFileName(f.Path)}");
                o.WriteLine($"    {f.FileVersion ?? "(no file_version)"}, {f.Records} records, {TextFormat.Bytes(f.Bytes)}, {tail}");
            }
            var tags = new TextTable("tag", "kind", "count", "first step", "last step").AlignRight(2, 3, 4);
            foreach (var t in run.Tags.Where(t => t.Kind != "run_metadata").OrderBy(t => t.Kind, StringComparer.Ordinal).ThenBy(t => t.Tag, StringComparer.Ordinal))
                tags.Add(t.Tag, t.Kind, TextFormat.Integer(t.Count), TextFormat.Integer(t.FirstStep), TextFormat.Integer(t.LastStep));
            var traces = run.Tags.Where(t => t.Kind == "run_metadata").ToList();
            if (traces.Count > 0)
                tags.Add($"{traces[0].Tag} .. {traces[^1].Tag} ({traces.Count} tags)", "run_metadata", TextFormat.Integer(traces.Sum(t => t.Count)),
                    TextFormat.Integer(traces.Min(t => t.FirstStep)), TextFormat.Integer(traces.Max(t => t.LastStep)));
            o.WriteLine();
            tags.WriteTo(o, "  ");
            var scalars = new TextTable("scalar", "first", "last", "min", "max").AlignRight(1, 2, 3, 4);
            foreach (var t in run.Tags.Where(t => t.Scalar is not null).OrderBy(t => t.Tag, StringComparer.Ordinal))
                scalars.Add(t.Tag, TextFormat.Number(t.Scalar!.First), TextFormat.Number(t.Scalar.Last), TextFormat.Number(t.Scalar.Min), TextFormat.Number(t.Scalar.Max));
            if (scalars.Count == 0) continue;
            o.WriteLine();
            scalars.WriteTo(o, "  ");
        }
    }
}
