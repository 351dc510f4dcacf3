using TfMnist.Data;

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

    /// <summary>A data-reader error, whose message already starts with the file name.</summary>
    public static InputFileException From(string path, MnistDataException e)
    {
        string prefix = path + ": ";
        string problem = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        return new InputFileException(path, problem.TrimEnd('.'), e);
    }

    /// <summary>The file (as given by the user).</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
