using System.Runtime.CompilerServices;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>tf.variable_scope's reuse argument: None/False (inherit the enclosing scope's), True, or tf.AUTO_REUSE.</summary>
public enum VariableReuse
{
    /// <summary>reuse=None or False: the enclosing scope's setting (at the top, create only).</summary>
    Inherit,
    /// <summary>reuse=True: get_variable returns existing variables and never creates one.</summary>
    Reuse,
    /// <summary>reuse=tf.AUTO_REUSE: returns the variable if it exists, else creates it.</summary>
    AutoReuse,
}

/// <summary>An open tf.variable_scope: its full name ("" at the top) and its effective reuse.</summary>
public sealed class VariableScope(string name, VariableReuse reuse)
{
    /// <summary>The scope's full name, e.g. "FC1" or "model/FC1"; "" for the top-level scope.</summary>
    public string Name { get; } = name;

    /// <summary><see cref="VariableReuse.Inherit"/> means "create only" here: inheritance was resolved on entry.</summary>
    public VariableReuse Reuse { get; } = reuse;
}

/// <summary>
/// TF 1.x's variable scopes and tf.get_variable, per graph: variables are named by the variable scope (not the name
/// scope), created once and shared when the scope allows reuse, with TF's errors.
/// </summary>
public static class VariableScopes
{
    private sealed class Store
    {
        public readonly Dictionary<string, Variable> Variables = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> ScopeCounts = new(StringComparer.Ordinal);
        public readonly List<VariableScope> Stack = [new VariableScope("", VariableReuse.Inherit)];
    }

    private static readonly ConditionalWeakTable<Graph, Store> Stores = new();

    private static Store StoreOf(Graph graph) => Stores.GetValue(graph, _ => new Store());

    /// <summary>tf.get_variable_scope() of <paramref name="graph"/> (default: the current graph).</summary>
    public static VariableScope Current(Graph? graph = null) => StoreOf(graph ?? Graph.Current).Stack[^1];

    /// <summary>The variables get_variable created in <paramref name="graph"/>, by name.</summary>
    public static IReadOnlyDictionary<string, Variable> Variables(Graph graph) => StoreOf(graph).Variables;

    /// <summary>with tf.variable_scope(name, reuse=reuse): also opens the name scope <paramref name="name"/> (uniquified).</summary>
    public static IDisposable Enter(Graph graph, string name, bool reuse = false) =>
        Enter(graph, name, reuse ? VariableReuse.Reuse : VariableReuse.Inherit);

    /// <summary>with tf.variable_scope(name, reuse=reuse), reuse given as TF's three values.</summary>
    public static IDisposable Enter(Graph graph, string name, VariableReuse reuse)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Open(graph, name, reuse);
    }

    /// <summary>
    /// with tf.variable_scope(None, default_name=<paramref name="defaultName"/>): the first unused of "name", "name_1",
    /// ... among the variable scopes opened so far (TF's _get_unique_variable_scope); never reusing.
    /// </summary>
    public static IDisposable EnterDefault(Graph graph, string defaultName)
    {
        var store = StoreOf(graph);
        string parent = store.Stack[^1].Name;
        string Full(string n) => parent.Length == 0 ? n : parent + "/" + n;
        string unique = defaultName;
        if (store.ScopeCounts.GetValueOrDefault(Full(defaultName)) > 0)
        {
            int i = 1;
            while (store.ScopeCounts.GetValueOrDefault(Full($"{defaultName}_{i}")) > 0) i++;
            unique = $"{defaultName}_{i}";
        }
        return Open(graph, unique, VariableReuse.Inherit, nameScope: defaultName);
    }

    private static IDisposable Open(Graph graph, string name, VariableReuse reuse, string? nameScope = null)
    {
        var store = StoreOf(graph);
        var parent = store.Stack[^1];
        string full = parent.Name.Length == 0 ? name : parent.Name + "/" + name;
        var effective = reuse == VariableReuse.Inherit ? parent.Reuse : reuse;
        var names = graph.NameScope(nameScope ?? name);
        var scope = new VariableScope(full, effective);
        store.Stack.Add(scope);
        store.ScopeCounts[full] = store.ScopeCounts.GetValueOrDefault(full) + 1;
        return new Closer(() =>
        {
            store.Stack.Remove(scope);
            names.Dispose();
        });
    }

    /// <summary>
    /// tf.get_variable(name, shape, dtype, initializer, trainable): the variable "&lt;scope&gt;/&lt;name&gt;", created with
    /// its initial value built by <paramref name="initializer"/> under "&lt;scope&gt;/&lt;name&gt;/Initializer/" (default:
    /// glorot_uniform for floats, zeros for integers), or the existing one when the scope reuses.
    /// </summary>
    public static Variable GetVariable(string name, Shape? shape = null, DType dtype = DType.Float, IInitializer? initializer = null,
        bool trainable = true, Graph? graph = null)
    {
        var g = graph ?? Graph.Current;
        var (full, existing) = Lookup(g, name, shape, dtype);
        if (existing is not null) return existing;
        if (shape is null || !shape.IsFullyDefined)
            throw new ArgumentException($"Shape of a new variable ({full}) must be fully defined, but instead was {shape?.ToString() ?? "<unknown>"}.");
        var init = initializer ?? (dtype == DType.Float ? new GlorotUniformInitializer() : new ZerosInitializer());
        return Add(g, full, Variable.Create(g, full, _ => init.Build(shape, dtype), fromInitializer: true, trainable));
    }

    /// <summary>tf.get_variable(name, initializer=tensor): the variable takes the tensor's value, shape and dtype.</summary>
    public static Variable GetVariable(string name, Tensor initialValue, bool trainable = true)
    {
        var g = initialValue.Graph;
        var (full, existing) = Lookup(g, name, initialValue.Shape, initialValue.DType);
        if (existing is not null) return existing;
        return Add(g, full, Variable.Create(g, full, _ => initialValue, fromInitializer: false, trainable));
    }

    private static (string Full, Variable? Existing) Lookup(Graph graph, string name, Shape? shape, DType dtype)
    {
        var store = StoreOf(graph);
        var scope = store.Stack[^1];
        string full = scope.Name.Length == 0 ? name : name.Length == 0 ? scope.Name : scope.Name + "/" + name;
        if (full.Length == 0) throw new ArgumentException("A variable needs a name (or a variable scope to take it from).");
        if (store.Variables.TryGetValue(full, out var found))
        {
            if (scope.Reuse == VariableReuse.Inherit)
                throw new ArgumentException($"Variable {full} already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
            if (shape is not null && !shape.IsCompatibleWith(found.Shape))
                throw new ArgumentException($"Trying to share variable {full}, but specified shape {shape} and found shape {found.Shape}.");
            if (dtype != found.DType)
                throw new ArgumentException($"Trying to share variable {full}, but specified dtype {dtype.TfName()} and found dtype {found.DType.TfName()}.");
            return (full, found);
        }
        if (scope.Reuse == VariableReuse.Reuse)
            throw new ArgumentException($"Variable {full} does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?");
        return (full, null);
    }

    private static Variable Add(Graph graph, string full, Variable variable)
    {
        StoreOf(graph).Variables[full] = variable;
        return variable;
    }

    private sealed class Closer(Action close) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            close();
        }
    }
}
