namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// Locates the TensorFlow-written checkpoints in shared/tf-reference beside the repository (the
/// folder holding TfMnist.sln), so conformance tests can skip cleanly where it is absent. A git
/// worktree sits one level deeper than the main checkout (wt/name), so every ancestor of the
/// repository is tried, nearest first.
/// </summary>
internal static class ReferenceCheckpoints
{
    public const string Tf115 = "tf1.15-softmax";
    public const string Tf18 = "tf1.8-softmax-cond";

    /// <summary>The directory of one reference checkpoint; skips the test if it is unavailable.</summary>
    public static string Directory(string name)
    {
        string? repo = FindRepositoryRoot();
        if (repo is null)
            Requirement.Missing($"TfMnist.sln not found above {AppContext.BaseDirectory}; cannot locate ../shared/tf-reference.");
        for (var parent = new DirectoryInfo(repo).Parent; parent is not null; parent = parent.Parent)
        {
            string dir = Path.Combine(parent.FullName, "shared", "tf-reference", "checkpoints", name);
            if (System.IO.Directory.Exists(dir))
                return dir;
        }
        Requirement.Missing($"Reference checkpoint folder shared/tf-reference/checkpoints/{name} not found above {repo} (TensorFlow reference files not available here).");
        return null!;
    }

    public static string Prefix(string name) => Path.Combine(Directory(name), "mnist");

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TfMnist.sln")))
                return dir.FullName;
        }
        return null;
    }
}
