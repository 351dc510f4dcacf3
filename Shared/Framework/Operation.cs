using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Framework;

/// <summary>
/// A node of the graph: a TF op type, attrs, data inputs, control inputs and typed outputs.
/// Immutable once created, except for the consumer lists the graph maintains.
/// </summary>
public sealed class Operation
{
    private readonly List<Operation> _consumers = new();
    private readonly List<Operation> _controlOutputs = new();
    private Tensor[] _outputs = Array.Empty<Tensor>();

    internal Operation(Graph graph, int id, string name, string type, OpDefinition? definition,
        Tensor[] inputs, Operation[] controlInputs, AttrMap attrs, string device)
    {
        Graph = graph;
        Id = id;
        Name = name;
        Type = type;
        Definition = definition;
        Inputs = inputs;
        ControlInputs = controlInputs;
        Attrs = attrs;
        Device = device;
    }

    public Graph Graph { get; }

    /// <summary>Creation order within the graph; plans and exports use it for stable ordering.</summary>
    public int Id { get; }

    public string Name { get; }
    public string Type { get; }
    public string Device { get; }
    public AttrMap Attrs { get; }
    public IReadOnlyList<Tensor> Inputs { get; private set; }
    public IReadOnlyList<Operation> ControlInputs { get; private set; }
    public IReadOnlyList<Tensor> Outputs => _outputs;
    public IReadOnlyList<Operation> Consumers => _consumers;
    public IReadOnlyList<Operation> ControlOutputs => _controlOutputs;

    /// <summary>The engine's definition of this op type; null for a type imported but not implemented.</summary>
    public OpDefinition? Definition { get; }

    public Tensor Output => _outputs.Length > 0
        ? _outputs[0]
        : throw new InvalidOperationException($"Operation '{Name}' ({Type}) has no outputs.");

    /// <summary>Lazily decoded state an op's kernel may cache (e.g. a Const's value).</summary>
    internal object? KernelCache { get; set; }

    internal void SetOutputs(Tensor[] outputs) => _outputs = outputs;

    internal void ReplaceInputs(Tensor[] inputs, Operation[] controls)
    {
        Inputs = inputs;
        ControlInputs = controls;
    }
    internal void AddConsumer(Operation op) { if (!_consumers.Contains(op)) _consumers.Add(op); }
    internal void AddControlOutput(Operation op) => _controlOutputs.Add(op);

    public NodeDef ToNodeDef()
    {
        var node = new NodeDef { Name = Name, Op = Type, Device = Device };
        node.Input.AddRange(Inputs.Select(t => t.InputName));
        node.Input.AddRange(ControlInputs.Select(c => "^" + c.Name));
        foreach (var (k, v) in Attrs.Values) node.Attr.Add(k, v);
        return node;
    }

    public override string ToString() => $"<tf.Operation '{Name}' type={Type}>";
}
