#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Runtime.CompilerServices;
using Tensorflow.NumPy;
using EngineTensor = TfMnist.Framework.Tensor;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's symbolic Tensor: one output of an operation in a graph. It wraps the engine's
/// tensor (one wrapper per engine tensor, so identity is kept) and converts to and from it.
/// </summary>
public sealed partial class Tensor : ITensorOrOperation
{
    private static readonly ConditionalWeakTable<EngineTensor, Tensor> Wrappers = new();

    private Tensor(EngineTensor value) => Value = value;

    /// <summary>The engine's tensor this wraps.</summary>
    public EngineTensor Value { get; }

    /// <summary>The one facade tensor for an engine tensor.</summary>
    public static Tensor From(EngineTensor value) => Wrappers.GetValue(value, v => new Tensor(v));

    /// <summary>"scope/op:index".</summary>
    public string name => Value.Name;

    public Operation op => Operation.From(Value.Op);

    public Graph graph => Graph.From(Value.Graph);

    public Shape shape => Shape.FromEngine(Value.Shape);

    public TF_DataType dtype => Value.DType.ToFacade();

    public int value_index => Value.Index;

    public int rank => Value.Shape.Rank;

    public int ndim => rank;

    /// <summary>Runs this tensor in <paramref name="session"/> (TF's Tensor.eval).</summary>
    public NDArray eval(Session session, params FeedItem[] feed_dict) => session.run(this, feed_dict);

    /// <summary>Runs this tensor in the innermost `as_default()` session.</summary>
    public NDArray eval(params FeedItem[] feed_dict) =>
        eval(Session.Default ?? throw new ValueError("Cannot evaluate tensor using `eval()`: No default session is registered."), feed_dict);

    public static implicit operator EngineTensor(Tensor tensor) => tensor.Value;

    public static implicit operator Tensor(EngineTensor tensor) => From(tensor);

    /// <summary>Lets engine-level code (the runtime's tests and benches) fetch a facade tensor directly.</summary>
    public static implicit operator TfMnist.Runtime.Fetch(Tensor tensor) => tensor.Value;

    /// <summary>As TF.NET prints it: tf.Tensor 'name' shape=(...) dtype=float32.</summary>
    public override string ToString() => $"tf.Tensor '{name}' shape={shape} dtype={dtype.as_numpy_name()}";
}
