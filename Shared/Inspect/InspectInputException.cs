namespace TfMnist.Inspect;

/// <summary>
/// A path the inspector cannot read as any format it covers: missing, of an unknown kind, or of a
/// kind it leaves out on purpose (V1 checkpoints, SavedModel, text protos), said in one line.
/// </summary>
public sealed class InspectInputException(string message) : Exception(message);
