namespace TfMnist.Predictor;

/// <summary>
/// The model could not be loaded (missing directory or checkpoint, unknown tensor name, ...).
/// The message is shown to the user as one line, so it should name the path or tensor and the problem.
/// </summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string message) : base(message) { }
    public ModelLoadException(string message, Exception inner) : base(message, inner) { }
}
