namespace TfMnist.Checkpoint;

/// <summary>
/// A checkpoint file (table, bundle index or data file, checkpoint state) is corrupt, truncated
/// or uses a feature this port does not support. The message always starts with the file name
/// so a user can tell which of the several files of a checkpoint is at fault.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    public CheckpointFormatException(string fileName, string problem)
        : base($"{fileName}: {problem}")
    {
        FileName = fileName;
    }

    public string FileName { get; }
}
