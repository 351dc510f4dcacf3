namespace TfMnist.Data;

/// <summary>
/// Thrown when MNIST data is missing, malformed or fails verification. The message always names
/// the file (or archive entry, or URL) concerned and says what is wrong with it, so a user can act
/// on it without a debugger.
/// </summary>
public sealed class MnistDataException : Exception
{
    public MnistDataException(string message) : base(message) { }

    public MnistDataException(string message, Exception innerException) : base(message, innerException) { }
}
