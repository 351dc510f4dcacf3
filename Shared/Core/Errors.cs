namespace TfMnist.Core;

// TensorFlow's error classes that every layer may raise, as .NET exceptions.

/// <summary>A run cannot proceed in the current state (TF's FailedPreconditionError).</summary>
public sealed class FailedPreconditionException(string message) : InvalidOperationException(message);

/// <summary>A fed value or attr is wrong (TF's InvalidArgumentError).</summary>
public sealed class InvalidArgumentException(string message) : ArgumentException(message);

/// <summary>Static shapes that cannot fit together; the message names the ops involved.</summary>
public sealed class ShapeMismatchException(string message) : InvalidOperationException(message);
