using TfMnist.Checkpoint;

namespace TfMnist.Inspect;

/// <summary>
/// Tells what a path holds (<see cref="InspectKind"/>) and finds the files inside it; formats left
/// out of scope are named in one line rather than misread.
/// </summary>
public static class InspectPaths
{
    /// <summary>The part of an event file's name TensorFlow's writers always put in it.</summary>
    public const string EventFileMarker = "tfevents";

    /// <summary>What <paramref name="path"/> holds; an out-of-scope or unknown format throws <see cref="InspectInputException"/>.</summary>
    public static InspectKind Detect(string path)
    {
        RejectOutOfScope(path);
        if (File.Exists(path))
        {
            if (Path.GetFileName(path).Contains(EventFileMarker, StringComparison.Ordinal)) return InspectKind.Events;
            if (path.EndsWith(".meta", StringComparison.Ordinal) || path.EndsWith(".pb", StringComparison.Ordinal)) return InspectKind.Graph;
            if (path.EndsWith(".index", StringComparison.Ordinal)) return InspectKind.Checkpoint;
            throw new InspectInputException($"'{path}' is not an event file, a .meta/.pb graph or a checkpoint .index");
        }
        if (File.Exists(BundleFiles.IndexPath(path))) return InspectKind.Checkpoint;
        if (!Directory.Exists(path)) throw new InspectInputException($"'{path}' does not exist");
        if (File.Exists(Path.Combine(path, CheckpointState.FileName))) return InspectKind.Checkpoint;
        if (EventFiles(path).Count > 0) return InspectKind.Events;
        throw new InspectInputException($"'{path}' holds no checkpoint file and no event file ({EventFileMarker})");
    }

    /// <summary>The bundle prefix a checkpoint path names: a directory's latest, a prefix, or its .index file.</summary>
    public static string CheckpointPrefix(string path)
    {
        RejectOutOfScope(path);
        if (path.EndsWith(".index", StringComparison.Ordinal) && File.Exists(path)) return path[..^".index".Length];
        if (File.Exists(BundleFiles.IndexPath(path))) return path;
        if (!Directory.Exists(path)) throw new InspectInputException($"'{path}' is neither a checkpoint directory nor a checkpoint prefix");
        return CheckpointState.LatestCheckpoint(path)
            ?? throw new InspectInputException($"'{path}' has no checkpoint (no 'checkpoint' file naming an existing .index)");
    }

    /// <summary>Every event file in <paramref name="path"/> and below it, or the file itself; sorted by path.</summary>
    public static IReadOnlyList<string> EventFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new InspectInputException($"'{path}' does not exist");
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains(EventFileMarker, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void RejectOutOfScope(string path)
    {
        string name = Path.GetFileName(path.TrimEnd('/'));
        if (name.EndsWith(".pbtxt", StringComparison.Ordinal) || name.EndsWith(".meta.txt", StringComparison.Ordinal))
            throw new InspectInputException($"'{path}' is a text proto; only binary GraphDef/MetaGraphDef files are covered (text protos are out of scope)");
        if (name == "saved_model.pb" || (Directory.Exists(path) && File.Exists(Path.Combine(path, "saved_model.pb"))))
            throw new InspectInputException($"'{path}' is a SavedModel; SavedModel is out of scope (inspect its variables/ checkpoint instead)");
        // A V1 checkpoint is one file per prefix (model.ckpt, beside model.ckpt.meta) and no .index.
        bool isV1 = File.Exists(path) && !File.Exists(BundleFiles.IndexPath(path))
            && (name.EndsWith(".ckpt", StringComparison.Ordinal) || File.Exists(path + ".meta"));
        if (isV1)
            throw new InspectInputException($"'{path}' is a V1 checkpoint (one file, no .index); V1 checkpoints are out of scope, only TensorBundle V2 (TF 0.12 and later)");
    }
}
