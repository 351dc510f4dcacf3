#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Runtime.CompilerServices;
using Tensorflow.NumPy;
using EngineOperation = TfMnist.Framework.Operation;

namespace Tensorflow;

/// <summary>TensorFlow.NET's Operation: a named node of a graph, wrapping the engine's (one wrapper per node).</summary>
public sealed class Operation : ITensorOrOperation
{
    private static readonly ConditionalWeakTable<EngineOperation, Operation> Wrappers = new();

    private Operation(EngineOperation value) => Value = value;

    /// <summary>The engine's operation this wraps.</summary>
    public EngineOperation Value { get; }

    public static Operation From(EngineOperation value) => Wrappers.GetValue(value, v => new Operation(v));

    public string name => Value.Name;

    public string type => Value.Type;

    public string OpType => Value.Type;

    public string device => Value.Device;

    public Operation op => this;

    public Graph graph => Graph.From(Value.Graph);

    public Tensor[] outputs => [.. Value.Outputs.Select(Tensor.From)];

    public Tensor output => Tensor.From(Value.Output);

    public Tensor[] inputs => [.. Value.Inputs.Select(Tensor.From)];

    public int NumOutputs => Value.Outputs.Count;

    public int NumInputs => Value.Inputs.Count;

    public Operation[] control_inputs => [.. Value.ControlInputs.Select(From)];

    /// <summary>Runs this operation in <paramref name="session"/> (TF's Operation.run).</summary>
    public void run(Session session, params FeedItem[] feed_dict) => session.run(this, feed_dict);

    public static implicit operator EngineOperation(Operation op) => op.Value;

    public static implicit operator Operation(EngineOperation op) => From(op);

    /// <summary>Lets engine-level code fetch (run) a facade operation directly.</summary>
    public static implicit operator TfMnist.Runtime.Fetch(Operation op) => op.Value;

    /// <summary>An operation where a tensor is wanted means its first output, as in TensorFlow.NET.</summary>
    public static implicit operator Tensor(Operation op) => op.output;

    public override string ToString() => $"tf.Operation '{name}' type={type}";
}
