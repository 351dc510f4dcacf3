using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Inspect;

/// <summary>
/// <c>tensorboard --inspect</c> over the engine's <see cref="EventFileReader"/>: every event file is
/// streamed one record at a time, as digests (payloads skipped, not copied), so a 200 MB training
/// log costs the memory of its largest record plus one accumulator per tag.
/// </summary>
public static class EventLogInspector
{
    /// <summary>The runs of a log directory (each directory with event files below it) or of one event file.</summary>
    public static EventLogReport Inspect(string path) =>
        new(path, ReadRuns(path, keepCurves: false).Select(r => r.Summary).ToList());

    /// <summary>Each run's summary and, for a diff, its scalar curves and its first graph.</summary>
    internal static IReadOnlyList<RunContents> ReadRuns(string path, bool keepCurves)
    {
        var files = InspectPaths.EventFiles(path);
        if (files.Count == 0) throw new InspectInputException($"'{path}' holds no event file ({InspectPaths.EventFileMarker})");
        string root = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : Path.GetFullPath(path);
        return files
            .GroupBy(f => Path.GetRelativePath(root, Path.GetDirectoryName(Path.GetFullPath(f))!), StringComparer.Ordinal)
            .Select(g => ReadRun(g.Key, [.. g], keepCurves))
            .ToList();
    }

    private static RunContents ReadRun(string run, IReadOnlyList<string> files, bool keepCurves)
    {
        var tags = new Dictionary<(string Tag, string Kind), TagAccumulator>();
        var fileSummaries = new List<EventFileSummary>();
        byte[]? graph = null;
        foreach (string file in files)
        {
            string? version = null;
            long records = 0, truncated = 0;
            foreach (var e in EventFileReader.ReadDigests(file, tail => truncated = tail))
            {
                records++;
                switch (e.WhatCase)
                {
                    case EventDigest.WhatOneofCase.FileVersion:
                        version ??= e.FileVersion;
                        break;
                    case EventDigest.WhatOneofCase.GraphDef:
                        graph ??= e.GraphDef.ToByteArray();
                        Tag(tags, "graph_def", "graph", keepCurves).Add(e.Step);
                        break;
                    case EventDigest.WhatOneofCase.MetaGraphDef:
                        Tag(tags, "meta_graph_def", "meta_graph", keepCurves).Add(e.Step);
                        break;
                    case EventDigest.WhatOneofCase.TaggedRunMetadata:
                        Tag(tags, e.TaggedRunMetadata.Tag, "run_metadata", keepCurves).Add(e.Step);
                        break;
                    case EventDigest.WhatOneofCase.SessionLog:
                        Tag(tags, "session_log", "session_log", keepCurves).Add(e.Step);
                        break;
                    case EventDigest.WhatOneofCase.LogMessage:
                        Tag(tags, "log_message", "log_message", keepCurves).Add(e.Step);
                        break;
                    case EventDigest.WhatOneofCase.Summary:
                        foreach (var value in e.Summary.Value)
                            AddValue(tags, value, e.Step, keepCurves);
                        break;
                }
            }
            fileSummaries.Add(new EventFileSummary(file, version, records, new FileInfo(file).Length, truncated));
        }
        var summary = new RunSummary(run, fileSummaries, tags.Values.Select(t => t.ToSummary()).ToList());
        return new RunContents(summary, tags.Values.Where(t => t.Curve is { Count: > 0 }).ToDictionary(t => t.Tag, t => t.Curve!, StringComparer.Ordinal), graph);
    }

    private static void AddValue(Dictionary<(string, string), TagAccumulator> tags, ValueDigest value, long step, bool keepCurves)
    {
        if (value.ValueCase == ValueDigest.ValueOneofCase.SimpleValue)
        {
            Tag(tags, value.Tag, "scalar", keepCurves).Add(step, value.SimpleValue);
            return;
        }
        string kind = value.ValueCase switch
        {
            ValueDigest.ValueOneofCase.Histo or ValueDigest.ValueOneofCase.ObsoleteOldStyleHistogram => "histogram",
            ValueDigest.ValueOneofCase.Image => "image",
            ValueDigest.ValueOneofCase.Audio => "audio",
            _ => "tensor",
        };
        Tag(tags, value.Tag, kind, keepCurves).Add(step);
    }

    private static TagAccumulator Tag(Dictionary<(string, string), TagAccumulator> tags, string tag, string kind, bool keepCurves)
    {
        if (!tags.TryGetValue((tag, kind), out var acc))
            tags[(tag, kind)] = acc = new TagAccumulator(tag, kind, keepCurves && kind == "scalar");
        return acc;
    }
}

/// <summary>A run as a diff needs it: the summary, each scalar tag's curve, the first graph_def's bytes.</summary>
internal sealed record RunContents(RunSummary Summary, IReadOnlyDictionary<string, SortedDictionary<long, double>> Curves, byte[]? GraphDef);
