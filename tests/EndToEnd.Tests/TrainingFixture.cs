using TfMnist.Data;
using TfMnist.Trainer;

namespace TfMnist.EndToEnd;

/// <summary>
/// One short training run on the real MNIST, shared by the end-to-end tests: it writes
/// eventlog/ and model/ into a temporary folder as the Trainer does.
/// </summary>
public sealed class TrainingFixture : IDisposable
{
    public const int Steps = 300;

    public TrainingFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"tfmnist-e2e-{Guid.NewGuid():N}");
        DataDir = RepoPaths.MnistData();
        if (DataDir is null) return;
        Options = new TrainerOptions
        {
            Steps = Steps,
            Seed = 7,
            DataDir = DataDir,
            LogDir = Path.Combine(Root, "eventlog"),
            ModelDir = Path.Combine(Root, "model"),
            PrintEvery = 100,
        };
        Result = new TrainingRun(Options, Reporter).Run(CancellationToken.None);
    }

    public string Root { get; }
    public string? DataDir { get; }
    public TrainerOptions? Options { get; }
    public TrainingResult? Result { get; }
    public RecordingReporter Reporter { get; } = new();

    /// <summary>The run, or a skip when MNIST_data is not in the repository.</summary>
    public (TrainerOptions Options, TrainingResult Result) Require()
    {
        if (Options is null || Result is null)
            Requirement.Missing("MNIST_data with the four MNIST gz files is not in the repository, so no training run was made.");
        return (Options, Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Keeps what the trainer reports, for assertions.</summary>
public sealed class RecordingReporter : IProgressReporter
{
    public List<string> Lines { get; } = new();
    public List<(int Step, float Accuracy)> Evaluations { get; } = new();
    public IProgress<DownloadProgress>? DownloadProgress => null;
    public void Info(string message) => Lines.Add(message);
    public void Start(int totalSteps) { }
    public void Step(int stepsDone, float lastAccuracy) { }
    public void Evaluation(int step, float accuracy, double milliseconds, int printEvery) => Evaluations.Add((step, accuracy));
    public void Finish(int steps, float accuracy, TrainerOptions options, double seconds, bool interrupted) =>
        Lines.Add($"final {steps} {accuracy}");
}

internal static class RepoPaths
{
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TfMnist.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>A folder under shared/tf-reference beside the repository (or beside an ancestor), or null.</summary>
    public static string? TfReference(params string[] parts)
    {
        string? root = RepoRoot();
        for (var dir = root is null ? null : new DirectoryInfo(root).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, "shared", "tf-reference", .. parts]);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string? MnistData()
    {
        string? root = RepoRoot();
        if (root is null) return null;
        string dir = Path.Combine(root, "MNIST_data");
        return File.Exists(Path.Combine(dir, "t10k-images-idx3-ubyte.gz")) ? dir : null;
    }
}

/// <summary>The test classes that share one short training run (trained once, not per class).</summary>
[CollectionDefinition(Name)]
public sealed class TrainingCollection : ICollectionFixture<TrainingFixture>
{
    public const string Name = "one short training run";
}
