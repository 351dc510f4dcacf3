namespace TfMnist.Tests.Summary;

/// <summary>
/// Locates shared/tf-reference: ../shared/tf-reference relative to the folder holding
/// TfMnist.sln, or the same relative to a further ancestor, because a git worktree checked out
/// deeper (e.g. wt/&lt;name&gt;/) has the shared folder one or more levels higher.
/// </summary>
internal static class ReferenceFiles
{
    public static string? Root { get; } = Locate();

    public static string EventsDir => Path.Combine(Root!, "events");

    /// <summary>Skips the calling test, with the reason, when the reference files are absent.</summary>
    public static string RequireEventsDir()
    {
        if (Root is null || !Directory.Exists(EventsDir))
            Requirement.Missing("TensorFlow reference files not found: expected shared/tf-reference/events beside the folder containing TfMnist.sln or beside one of its ancestors.");
        return EventsDir;
    }

    public static string[] EventFiles(string eventsDir) =>
        Directory.GetFiles(eventsDir, "events.out.tfevents.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "TfMnist.sln"))) continue;
            for (var up = dir.Parent; up is not null; up = up.Parent)
            {
                string candidate = Path.Combine(up.FullName, "shared", "tf-reference");
                if (Directory.Exists(candidate)) return candidate;
            }
            return null;
        }
        return null;
    }
}
