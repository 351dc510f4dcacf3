#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Runtime.CompilerServices;
using TfMnist.Framework;
using EngineGraph = TfMnist.Framework.Graph;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's Graph over the engine's. `new Graph().as_default()` makes it the graph new ops
/// go into (on this thread's async flow) and returns it; disposing it, or `exit()`, puts the
/// previous default back.
/// </summary>
public sealed class Graph : IDisposable
{
    private static readonly ConditionalWeakTable<EngineGraph, Graph> Wrappers = new();
    private readonly Stack<IDisposable> _defaultScopes = new();

    public Graph()
    {
        Value = new EngineGraph();
        Wrappers.Add(Value, this);
    }

    private Graph(EngineGraph value) => Value = value;

    /// <summary>The engine's graph this wraps.</summary>
    public EngineGraph Value { get; }

    public static Graph From(EngineGraph value) => Wrappers.GetValue(value, v => new Graph(v));

    /// <summary>Makes this the default graph until <see cref="Dispose"/> or <see cref="exit"/>; returns it.</summary>
    public Graph as_default()
    {
        _defaultScopes.Push(Value.AsDefault());
        return this;
    }

    /// <summary>Restores the default graph that was current before the last <see cref="as_default"/>.</summary>
    public void exit()
    {
        if (_defaultScopes.TryPop(out var scope)) scope.Dispose();
    }

    public Tensor get_tensor_by_name(string name) => Tensor.From(Value.GetTensorByName(name));

    public Operation get_operation_by_name(string name) => Operation.From(Value.GetOperationByName(name));

    public Operation OperationByName(string name) => get_operation_by_name(name);

    public Operation[] get_operations() => [.. Value.Operations.Select(Operation.From)];

    /// <summary>
    /// What a name means in this graph: "op:0" a tensor, "op" an operation (TF's
    /// as_graph_element for strings).
    /// </summary>
    public ITensorOrOperation as_graph_element(string name) =>
        name.Contains(':') ? get_tensor_by_name(name) : get_operation_by_name(name);

    public List<T> get_collection<T>(string name) => [.. Value.GetCollection<object>(name).Select(Wrap).OfType<T>()];

    private static object Wrap(object item) => item switch
    {
        TfMnist.Framework.Tensor t => Tensor.From(t),
        TfMnist.Framework.Operation o => Operation.From(o),
        TfMnist.Ops.Variable v => RefVariable.From(v),
        _ => item,
    };

    /// <summary>Imports a binary GraphDef (.pb) into this graph (TF.NET's Graph.Import).</summary>
    public bool Import(string file_path, string prefix = "")
    {
        if (prefix.Length > 0) throw new NotSupportedException("Importing a GraphDef under a prefix is not supported.");
        var graphDef = TfMnist.Proto.GraphDef.Parser.ParseFrom(File.ReadAllBytes(file_path));
        GraphDefImporter.Import(Value, graphDef, file_path);
        return true;
    }

    /// <summary>The GraphDef protobuf of this graph, with output shapes.</summary>
    public TfMnist.Proto.GraphDef as_graph_def(bool add_shapes = false) => Value.ToGraphDef(add_shapes);

    /// <summary>No op may be added after this (TF's Graph.finalize).</summary>
    public void finalize() => Value.Freeze();

    public bool finalized => Value.IsFrozen;

    /// <summary>The graph-level seed (tf.set_random_seed); sessions made on this graph use it.</summary>
    public int? seed { get; set; }

    public static implicit operator EngineGraph(Graph graph) => graph.Value;

    public static implicit operator Graph(EngineGraph graph) => From(graph);

    public void Dispose()
    {
        while (_defaultScopes.Count > 0) exit();
    }
}
