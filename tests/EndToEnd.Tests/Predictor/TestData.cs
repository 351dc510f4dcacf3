using TfMnist.Data;
using TfMnist.Predictor.Input;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>The MNIST files of the repository, read once per test run.</summary>
public static class TestData
{
    private static readonly Lazy<string> s_root = new(FindRepoRoot);
    private static readonly Lazy<(IdxImages Images, byte[] Labels)> s_train = new(() => Load("train"));
    private static readonly Lazy<(IdxImages Images, byte[] Labels)> s_test = new(() => Load("t10k"));
    private static readonly Lazy<TemplateClassifier> s_classifier = new(() => TemplateClassifier.Build(s_train.Value.Images, s_train.Value.Labels, 1000));

    public static string RepoRoot => s_root.Value;
    public static string MnistDir => Path.Combine(RepoRoot, "MNIST_data");
    public static IdxImages TestImages => s_test.Value.Images;
    public static byte[] TestLabels => s_test.Value.Labels;

    /// <summary>Nearest class mean built from the first 1000 training images.</summary>
    public static TemplateClassifier Classifier => s_classifier.Value;

    private static (IdxImages, byte[]) Load(string prefix) => (
        IdxReader.ReadImages(Path.Combine(MnistDir, $"{prefix}-images-idx3-ubyte.gz")),
        IdxReader.ReadLabels(Path.Combine(MnistDir, $"{prefix}-labels-idx1-ubyte.gz")));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TfMnist.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TfMnist.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh temporary directory, deleted by the caller's using.</summary>
    public static TempDir NewTempDir() => new();

    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tfmnist-predictor-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
