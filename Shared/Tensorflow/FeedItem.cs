#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using Tensorflow.NumPy;
using DType = TfMnist.Core.DType;
using EngineArray = TfMnist.Core.NDArray;
using EngineTensor = TfMnist.Framework.Tensor;

namespace Tensorflow;

/// <summary>
/// One feed of a run, TensorFlow.NET's FeedItem: the key is a tensor (or its name, or a variable)
/// and the value anything an NDArray converts from. `(x, images)` converts implicitly.
/// </summary>
public sealed class FeedItem(object key, object value)
{
    public object Key { get; } = key;

    public object Value { get; } = value;

    public static implicit operator FeedItem((object, object) feed) => new(feed.Item1, feed.Item2);

    public void Deconstruct(out object key, out object value) => (key, value) = (Key, Value);

    /// <summary>The engine's feed: the key resolved in <paramref name="graph"/>, the value as the key's dtype wants it.</summary>
    public TfMnist.Runtime.FeedItem ToEngine(TfMnist.Framework.Graph graph)
    {
        EngineTensor tensor = Key switch
        {
            Tensor t => t.Value,
            EngineTensor t => t,
            RefVariable v => v.Variable.Ref,
            string name => graph.GetTensorByName(name),
            _ => throw new TypeError($"Cannot feed a value for a key of type {Key.GetType().Name}; a feed key is a Tensor or a tensor name."),
        };
        return new(tensor, ToArray(Value, tensor));
    }

    private static EngineArray ToArray(object value, EngineTensor key) => value switch
    {
        NDArray a => a.Value,
        EngineArray a => a,
        float f => EngineArray.ScalarOf(f, key.DType),
        double d => key.DType == DType.Double ? ((NDArray)d).Value : EngineArray.ScalarOf((float)d, key.DType),
        int i => key.DType == DType.Float ? (EngineArray)(float)i : (EngineArray)i,
        long l => l,
        bool b => b,
        float[] v => v,
        int[] v => v,
        float[,] v => v,
        double[] v => ((NDArray)v).Value,
        double[,] v => ((NDArray)v).Value,
        int[,] v => ((NDArray)v).Value,
        string s => EngineArray.FromString(s),
        _ => throw new TypeError($"Cannot feed a {value.GetType().Name} to '{key.Name}'."),
    };
}
