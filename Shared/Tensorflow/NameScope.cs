#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using EngineGraph = TfMnist.Framework.Graph;

namespace Tensorflow;

/// <summary>
/// A name scope (tf.name_scope) of the default graph. It is entered when made, so both `using
/// (tf.name_scope("x"))` and `tf_with(tf.name_scope("x"), scope => ...)` work; leaving it twice is harmless.
/// </summary>
public sealed class NameScope : ITensorFlowObject
{
    private readonly TfMnist.Framework.NameScope _scope;

    internal NameScope(string? name) => _scope = EngineGraph.Current.NameScope(name);

    /// <summary>The full scope name with a trailing "/" (what Python's `as scope` gives).</summary>
    public string scope_name => _scope.ScopeName;

    public void __enter__() { }

    public void __exit__() => _scope.Dispose();

    public void Dispose() => __exit__();

    public static implicit operator string(NameScope scope) => scope.scope_name;

    public override string ToString() => scope_name;
}
