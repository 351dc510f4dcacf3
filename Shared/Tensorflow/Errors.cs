namespace Tensorflow;

/// <summary>TensorFlow.NET's base error; the facade raises its Python-named subclasses.</summary>
public class TensorflowException(string message) : Exception(message);

/// <summary>Python's ValueError, as TensorFlow.NET names it.</summary>
public class ValueError(string message) : TensorflowException(message);

/// <summary>Python's TypeError.</summary>
public class TypeError(string message) : TensorflowException(message);

/// <summary>Python's IndexError (numpy indexing out of range).</summary>
public class IndexError(string message) : TensorflowException(message);

/// <summary>
/// An API of TensorFlow.NET this engine does not provide (eager execution, Keras): one clear line
/// naming it, instead of a missing-member compile error or a silent wrong answer.
/// </summary>
public class NotSupportedByEngineException(string api)
    : TensorflowException($"{api} is not supported: TfMnist provides TensorFlow.NET's TF1 graph-mode API only (graph, session, tf.train), not eager execution or Keras.");
