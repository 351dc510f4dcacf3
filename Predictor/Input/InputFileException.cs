namespace TfMnist.Predictor.Input;

/// <summary>
/// An input file could not be read as a digit. The message names the file (and line, where that
/// applies) and the problem, and is meant to be shown as is.
/// </summary>
public sealed class InputFileException : Exception
{
    public InputFileException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
        Problem = problem;
    }

    public InputFileException(string path, string problem, Exception inner)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file (as given by the user).</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
