using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Framework;

/// <summary>
/// A dataflow graph of named operations, with TF 1.x naming (scopes, case-insensitive unique
/// names), collections and a finalize switch. Building is single-threaded per graph; a
/// finalized graph may be run from many threads.
/// </summary>
public sealed partial class Graph
{
    private static readonly AsyncLocal<Graph?> CurrentOverride = new();
    private static Graph _globalDefault = new();

    private readonly List<Operation> _operations = new();
    private readonly Dictionary<string, Operation> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<object>> _collections = new(StringComparer.Ordinal);
    private readonly List<List<Operation>> _controlDependencyStack = new();

    public Graph(bool caseInsensitiveNames = true) => CaseInsensitiveNames = caseInsensitiveNames;

    /// <summary>The graph new ops go into: the innermost <see cref="AsDefault"/>, else a process-wide default.</summary>
    public static Graph Current => CurrentOverride.Value ?? _globalDefault;

    /// <summary>Replaces the process-wide default graph (tf.reset_default_graph).</summary>
    public static void ResetGlobalDefault() => _globalDefault = new Graph();

    public bool IsFrozen { get; private set; }
    public IReadOnlyList<Operation> Operations => _operations;

    /// <summary>GraphDef versions: TF 1.9 writes producer 26.</summary>
    public int Producer { get; set; } = 26;

    /// <summary>Makes this graph <see cref="Current"/> until the returned scope is disposed (flows with async code).</summary>
    public IDisposable AsDefault()
    {
        var previous = CurrentOverride.Value;
        CurrentOverride.Value = this;
        return new Restore(() => CurrentOverride.Value = previous);
    }

    /// <summary>After this, adding an op throws, so a training loop cannot grow the graph.</summary>
    public void Freeze() => IsFrozen = true;

    public Operation CreateOperation(string type, string name, IReadOnlyList<Tensor> inputs,
        IEnumerable<KeyValuePair<string, AttrValue>>? attrs = null,
        IReadOnlyList<Operation>? controlInputs = null)
    {
        var definition = OpCatalog.Lookup(type)
            ?? throw new NotSupportedException($"Op type '{type}' is not registered in this engine.");
        string uniqueName = ResolveOpName(name);
        attrs = ApplyColocation(attrs);
        var op = AddOperation(uniqueName, type, definition, inputs, attrs, controlInputs, device: "", addContextControls: true);
        op.SetOutputs(MakeOutputs(op, definition.InferOutputs(op)));
        return op;
    }

    internal Operation AddOperation(string name, string type, OpDefinition? definition,
        IReadOnlyList<Tensor> inputs, IEnumerable<KeyValuePair<string, AttrValue>>? attrs,
        IReadOnlyList<Operation>? controlInputs, string device, bool addContextControls)
    {
        if (IsFrozen)
            throw new InvalidOperationException($"Graph is finalized and cannot be modified (adding '{name}' of type {type}).");
        if (_byName.ContainsKey(name))
            throw new ArgumentException($"Duplicate node name in graph: '{name}'");
        foreach (var input in inputs)
            if (input.Graph != this)
                throw new ArgumentException($"Tensor '{input.Name}' must be from the same graph as op '{name}'.");

        var controls = new List<Operation>(controlInputs ?? Array.Empty<Operation>());
        if (addContextControls)
            foreach (var frame in _controlDependencyStack)
                foreach (var c in frame)
                    if (!controls.Contains(c) && !inputs.Any(t => t.Op == c)) controls.Add(c);

        var op = new Operation(this, _operations.Count, name, type, definition, inputs.ToArray(),
            controls.ToArray(), new AttrMap(name, attrs), device);
        _operations.Add(op);
        _byName[name] = op;
        MarkUsed(name);
        foreach (var input in inputs) input.Op.AddConsumer(op);
        foreach (var c in controls) c.AddControlOutput(op);
        return op;
    }

    /// <summary>Sets the inputs of an op imported before its inputs existed (loop back edges).</summary>
    internal void WireInputs(Operation op, IReadOnlyList<Tensor> inputs, IReadOnlyList<Operation> controls)
    {
        op.ReplaceInputs(inputs.ToArray(), controls.ToArray());
        foreach (var input in inputs) input.Op.AddConsumer(op);
        foreach (var c in controls) c.AddControlOutput(op);
    }

    internal static Tensor[] MakeOutputs(Operation op, IReadOnlyList<OutputSpec> specs)
    {
        var outputs = new Tensor[specs.Count];
        for (int i = 0; i < outputs.Length; i++)
            outputs[i] = new Tensor(op, i, specs[i].DType, specs[i].Shape, specs[i].IsRef);
        return outputs;
    }

    public Operation GetOperationByName(string name) =>
        _byName.TryGetValue(name, out var op)
            ? op
            : throw new KeyError($"The name '{name}' refers to an Operation not in the graph.");

    public bool TryGetOperation(string name, out Operation op) => _byName.TryGetValue(name, out op!);

    /// <summary>Looks up "op:index" (TF requires the output index).</summary>
    public Tensor GetTensorByName(string name)
    {
        int colon = name.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(name.AsSpan(colon + 1), out int index))
            throw new ArgumentException(
                $"The name '{name}' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the form \"<op_name>:<output_index>\".");
        var op = _byName.TryGetValue(name[..colon], out var found)
            ? found
            : throw new KeyError($"The name '{name}' refers to a Tensor which does not exist. The operation, '{name[..colon]}', does not exist in the graph.");
        if (index >= op.Outputs.Count)
            throw new KeyError($"The name '{name}' refers to a Tensor which does not exist. The operation, '{op.Name}', exists but only has {op.Outputs.Count} outputs.");
        return op.Outputs[index];
    }

    /// <summary>Ops created inside the scope get control inputs on <paramref name="ops"/> (tf.control_dependencies).</summary>
    public IDisposable ControlDependencies(IEnumerable<Operation> ops)
    {
        var frame = ops.ToList();
        _controlDependencyStack.Add(frame);
        return new Restore(() => _controlDependencyStack.Remove(frame));
    }

    /// <summary>tf.control_dependencies(None): ops created inside get no control inputs from enclosing blocks.</summary>
    public IDisposable ClearControlDependencies()
    {
        var saved = _controlDependencyStack.ToList();
        _controlDependencyStack.Clear();
        return new Restore(() =>
        {
            _controlDependencyStack.Clear();
            _controlDependencyStack.AddRange(saved);
        });
    }

    public void AddToCollection(string name, object value)
    {
        if (!_collections.TryGetValue(name, out var list)) _collections[name] = list = new List<object>();
        list.Add(value);
    }

    public IReadOnlyList<T> GetCollection<T>(string name) =>
        _collections.TryGetValue(name, out var list) ? list.OfType<T>().ToList() : new List<T>();

    public IEnumerable<string> CollectionKeys => _collections.Keys;

    /// <summary>
    /// The graph as TensorFlow's GraphDef. With <paramref name="addShapes"/>, each node carries
    /// "_output_shapes" (as TF's as_graph_def(add_shapes=True), which TensorBoard draws on edges).
    /// </summary>
    public GraphDef ToGraphDef(bool addShapes = false)
    {
        var def = new GraphDef { Versions = new VersionDef { Producer = Producer } };
        foreach (var op in _operations)
        {
            var node = op.ToNodeDef();
            if (addShapes)
            {
                var list = new AttrValue.Types.ListValue();
                list.Shape.AddRange(op.Outputs.Select(t => t.Shape.ToProto()));
                node.Attr["_output_shapes"] = new AttrValue { List = list };
            }
            def.Node.Add(node);
        }
        return def;
    }

    private sealed class Restore(Action action) : IDisposable
    {
        private Action? _action = action;
        public void Dispose() { _action?.Invoke(); _action = null; }
    }
}

/// <summary>A name that does not exist in the graph (Python's KeyError).</summary>
public sealed class KeyError(string message) : KeyNotFoundException(message);
