#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using System.Collections;
using Tensorflow.NumPy;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's `using static Tensorflow.Binding;`: the `tf` object and Python's builtins the
/// examples use (`print`, `range`, `len`, `tf_with`).
/// </summary>
public static class Binding
{
    /// <summary>The TF1 graph-mode API: `tf.placeholder`, `tf.nn.relu`, `tf.train.AdamOptimizer`, ...</summary>
    public static tensorflow tf { get; } = new();

    /// <summary>Python's print: arrays in numpy's form, everything else by ToString.</summary>
    public static void print(object? obj) => Console.WriteLine(obj?.ToString() ?? "None");

    /// <summary>print("text") binds here too, so text with braces and no arguments prints as it is.</summary>
    public static void print(string format, params object[] objects) =>
        Console.WriteLine(objects.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, objects));

    public static IEnumerable<int> range(int end) => Enumerable.Range(0, Math.Max(0, end));

    public static IEnumerable<int> range(int start, int end) => Enumerable.Range(start, Math.Max(0, end - start));

    public static IEnumerable<long> range(long end)
    {
        for (long i = 0; i < end; i++) yield return i;
    }

    public static int len(object a) => a switch
    {
        NDArray nd => nd.ndim == 0 ? throw new TypeError("len() of unsized object") : (int)nd.shape[0],
        Array array => array.Length,
        ICollection collection => collection.Count,
        string s => s.Length,
        _ => throw new TypeError($"object of type {a.GetType().Name} has no len()"),
    };

    /// <summary>Python's `with`: enters <paramref name="py"/>, runs <paramref name="action"/>, exits even on error.</summary>
    public static void tf_with<T>(T py, Action<T> action) where T : ITensorFlowObject
    {
        py.__enter__();
        try { action(py); }
        finally { py.__exit__(); }
    }

    public static TOut tf_with<TIn, TOut>(TIn py, Func<TIn, TOut> action) where TIn : ITensorFlowObject
    {
        py.__enter__();
        try { return action(py); }
        finally { py.__exit__(); }
    }
}

/// <summary>A Python context manager (`with` block): name and variable scopes, graphs made default.</summary>
public interface ITensorFlowObject : IDisposable
{
    void __enter__();

    void __exit__();
}
