using System.Text;
using TfMnist.IO;

namespace TfMnist.Checkpoint;

/// <summary>
/// The <c>&lt;dir&gt;/checkpoint</c> file through which TensorFlow finds the latest checkpoint:
/// the text form of its CheckpointState proto, <c>model_checkpoint_path</c> (the newest prefix)
/// and one <c>all_model_checkpoint_paths</c> per kept checkpoint, oldest first. Paths are
/// stored as given: relative ones are relative to the directory.
/// </summary>
public sealed class CheckpointState
{
    public const string FileName = "checkpoint";

    public CheckpointState(string modelCheckpointPath, IEnumerable<string> allModelCheckpointPaths)
    {
        ArgumentNullException.ThrowIfNull(modelCheckpointPath);
        ArgumentNullException.ThrowIfNull(allModelCheckpointPaths);
        ModelCheckpointPath = modelCheckpointPath;
        AllModelCheckpointPaths = [.. allModelCheckpointPaths];
    }

    public string ModelCheckpointPath { get; }

    public IReadOnlyList<string> AllModelCheckpointPaths { get; }

    /// <param name="sourceName">Names the file in parse errors.</param>
    public static CheckpointState Parse(string text, string sourceName = FileName) =>
        CheckpointStateParser.Parse(text, sourceName);

    /// <summary>The text TensorFlow's Python text_format writes for this state.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("model_checkpoint_path: ").Append(TextFormatString.Quote(ModelCheckpointPath)).Append('\n');
        foreach (string path in AllModelCheckpointPaths)
            text.Append("all_model_checkpoint_paths: ").Append(TextFormatString.Quote(path)).Append('\n');
        return text.ToString();
    }

    /// <summary>The state stored in <paramref name="directory"/>, or null when it has no checkpoint file.</summary>
    public static CheckpointState? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return null;
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Replaces <c>&lt;directory&gt;/checkpoint</c> atomically (temporary file, then rename).</summary>
    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), Format());

    /// <summary>A stored path as a usable prefix: absolute paths kept, relative ones joined to the directory.</summary>
    public static string Resolve(string directory, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

    /// <summary>
    /// The prefix of the newest checkpoint in <paramref name="directory"/>, like TF's
    /// tf.train.latest_checkpoint: null when there is no checkpoint file, when it names no
    /// checkpoint, or when <c>&lt;prefix&gt;.index</c> does not exist. A malformed checkpoint file
    /// throws (TF only logs a warning and returns None, which would silently restart training).
    /// </summary>
    public static string? LatestCheckpoint(string directory)
    {
        var state = Read(directory);
        if (state is null || state.ModelCheckpointPath.Length == 0)
            return null;
        string prefix = Resolve(directory, state.ModelCheckpointPath);
        return File.Exists(BundleFiles.IndexPath(prefix)) ? prefix : null;
    }
}
