using TfMnist.Checkpoint;

namespace TfMnist.Predictor;

/// <summary>
/// latest_checkpoint for the Predictor, with a message for each way it can fail: no
/// <c>checkpoint</c> file, one that is not a checkpoint state, one naming no path, or one naming a
/// prefix whose files are not there (saying when that path leads outside the model directory).
/// </summary>
public static class CheckpointLocator
{
    /// <exception cref="ModelLoadException">No usable checkpoint; the message names the file and field.</exception>
    public static string LatestPrefix(string dir)
    {
        string statePath = Path.Combine(dir, CheckpointState.FileName);
        if (Directory.Exists(statePath))
            throw new ModelLoadException($"'{statePath}' is a directory; it should be the checkpoint state file (model_checkpoint_path: \"mnist\").");
        CheckpointState? state;
        try
        {
            state = CheckpointState.Read(dir);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or UnauthorizedAccessException)
        {
            string detail = TfMnist.Cli.ErrorReport.OneLine(e.Message).Replace(statePath + ": ", "");
            throw new ModelLoadException($"'{statePath}' is not a readable checkpoint state file (expected a line model_checkpoint_path: \"mnist\"): {detail}", e);
        }
        if (state is null)
            throw new ModelLoadException($"No checkpoint in '{dir}': expected '{statePath}' naming a saved model (run the trainer first).");
        if (state.ModelCheckpointPath.Length == 0)
            throw new ModelLoadException($"'{statePath}' has an empty model_checkpoint_path, so it names no checkpoint.");

        string prefix = CheckpointState.Resolve(dir, state.ModelCheckpointPath);
        string index = BundleFiles.IndexPath(prefix);
        if (File.Exists(index))
            return prefix;
        string where = IsInside(dir, prefix) ? "" : $", a path outside '{dir}'";
        throw new ModelLoadException(
            $"'{statePath}' names model_checkpoint_path \"{state.ModelCheckpointPath}\"{where}, but '{index}' does not exist.");
    }

    private static bool IsInside(string dir, string path)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }
}
