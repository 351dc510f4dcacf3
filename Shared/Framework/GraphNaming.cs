namespace TfMnist.Framework;

/// <summary>TF 1.x naming: name scopes and unique names ("add", "add_1", ...).</summary>
public sealed partial class Graph
{
    private readonly Dictionary<string, int> _namesInUse = new(StringComparer.Ordinal);
    private string _nameStack = "";

    /// <summary>
    /// TF 1.9 made the uniqueness check case-insensitive ("Mean" takes "mean");
    /// TF 1.8 and earlier compared names exactly. Our graphs follow 1.9 by default.
    /// </summary>
    public bool CaseInsensitiveNames { get; }

    /// <summary>The current scope, without trailing slash ("" at top level).</summary>
    public string NameStack => _nameStack;

    /// <summary>
    /// Opens a name scope: "a" becomes "stack/a" (or "stack/a_1" if taken); a name ending in
    /// "/" re-enters exactly that scope; null or "" returns to the top level.
    /// </summary>
    public NameScope NameScope(string? name)
    {
        string previous = _nameStack;
        string newStack;
        if (string.IsNullOrEmpty(name)) newStack = "";
        else if (name.EndsWith('/')) newStack = name[..^1];
        else newStack = UniqueName(name);
        _nameStack = newStack;
        return new NameScope(this, newStack, previous);
    }

    internal void RestoreNameStack(string stack) => _nameStack = stack;

    /// <summary>
    /// Returns a name unique in this graph for <paramref name="name"/> in the current scope and
    /// marks it used — TF's Graph.unique_name, including its "_N" probing.
    /// </summary>
    public string UniqueName(string name, bool markAsUsed = true)
    {
        if (_nameStack.Length > 0) name = _nameStack + "/" + name;
        string key = Key(name);
        _namesInUse.TryGetValue(key, out int i);
        if (markAsUsed) _namesInUse[key] = i + 1;
        if (i == 0) return name;
        string baseKey = key;
        while (_namesInUse.ContainsKey(key))
        {
            key = $"{baseKey}_{i}";
            i++;
        }
        if (markAsUsed) _namesInUse[key] = 1;
        return $"{name}_{i - 1}";
    }

    /// <summary>An op name: "scope/" means exactly the scope's name; otherwise uniquified.</summary>
    internal string ResolveOpName(string name) => name.EndsWith('/') ? name[..^1] : UniqueName(name);

    private void MarkUsed(string fullName)
    {
        string key = Key(fullName);
        if (!_namesInUse.ContainsKey(key)) _namesInUse[key] = 1;
    }

    private string Key(string name) => CaseInsensitiveNames ? name.ToLowerInvariant() : name;
}

/// <summary>An open name scope; disposing it restores the enclosing one.</summary>
public sealed class NameScope : IDisposable
{
    private readonly Graph _graph;
    private readonly string _previous;
    private bool _disposed;

    internal NameScope(Graph graph, string name, string previous)
    {
        _graph = graph;
        Name = name;
        _previous = previous;
    }

    /// <summary>The full scope name with a trailing "/" (TF's `as scope` value), or "" at top level.</summary>
    public string ScopeName => Name.Length == 0 ? "" : Name + "/";

    public string Name { get; }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _graph.RestoreNameStack(_previous);
    }

    public static implicit operator string(NameScope scope) => scope.ScopeName;
}
