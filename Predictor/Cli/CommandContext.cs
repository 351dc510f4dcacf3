namespace TfMnist.Predictor.Cli;

/// <summary>
/// What a command's action may use: the console's two streams and, for the commands that take
/// <see cref="ModelCommandOptions"/>, the seam that turns those options into a classifier
/// (<see cref="ClassifierFactory.Create"/>, or a test's stand-in).
/// </summary>
internal sealed record CommandContext(Func<ModelOptions, IDigitClassifier> ClassifierFactory, TextWriter Out, TextWriter Err);

/// <summary>
/// A failure a command finds itself (a missing directory or file): exit code 1, reported as one
/// line by <see cref="PredictorCli"/>.
/// </summary>
internal sealed class CommandFailedException(string message) : Exception(message);
