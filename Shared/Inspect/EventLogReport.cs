namespace TfMnist.Inspect;

/// <summary>What <c>inspect events</c> reports: one run per directory holding event files (one writer each).</summary>
public sealed record EventLogReport(string Path, IReadOnlyList<RunSummary> Runs);

/// <summary>A run: its directory relative to the log directory (<c>.</c> for the directory itself), its files and its tags.</summary>
public sealed record RunSummary(string Run, IReadOnlyList<EventFileSummary> Files, IReadOnlyList<TagSummary> Tags);

/// <summary>
/// One event file: its <c>file_version</c> (<c>brain.Event:2</c>), the records read, its size and
/// the bytes of a truncated last record (0 when none: the writer closed it or stopped between records).
/// </summary>
public sealed record EventFileSummary(string Path, string? FileVersion, long Records, long Bytes, long TruncatedBytes);

/// <summary>
/// One tag of a run and what it holds: kind (<c>scalar</c>, <c>histogram</c>, <c>image</c>,
/// <c>audio</c>, <c>tensor</c>, <c>run_metadata</c>, <c>graph</c>, <c>meta_graph</c>, <c>session_log</c>,
/// <c>log_message</c>), how many events, the first and last step; for a scalar its first, last,
/// smallest and largest value.
/// </summary>
public sealed record TagSummary(string Tag, string Kind, long Count, long FirstStep, long LastStep, ScalarRange? Scalar);

/// <summary>A scalar tag's values: first and last in file order, smallest and largest.</summary>
public sealed record ScalarRange(double First, double Last, double Min, double Max);
