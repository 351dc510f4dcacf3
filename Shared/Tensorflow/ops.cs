#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using Tensorflow.NumPy;
using DType = TfMnist.Core.DType;
using TfMnist.Ops;
using EngineArray = TfMnist.Core.NDArray;
using EngineGraph = TfMnist.Framework.Graph;
using EngineTensor = TfMnist.Framework.Tensor;

namespace Tensorflow;

/// <summary>TF's ops module: converting values to tensors, and the binary ops Python's operators create.</summary>
public static class ops
{
    /// <summary>
    /// A value as a tensor: tensors and variables as they are, anything else (a .NET number or array,
    /// an NDArray) as a Const named <paramref name="name"/> of <paramref name="dtype"/> when given.
    /// </summary>
    public static Tensor convert_to_tensor(object value, TF_DataType dtype = TF_DataType.DtInvalid, string name = "Const")
    {
        switch (value)
        {
            case Tensor t: return t;
            case EngineTensor t: return Tensor.From(t);
            case RefVariable v: return v.AsTensor();
            case Operation o: throw new TypeError($"Cannot convert the operation '{o.name}' to a tensor.");
        }
        var array = ToArray(value, dtype);
        return Tensor.From(ConstOp.Create(array, name, EngineGraph.Current));
    }

    /// <summary>A host value as the engine's array, cast to <paramref name="dtype"/> for numbers.</summary>
    internal static EngineArray ToArray(object value, TF_DataType dtype)
    {
        DType target = dtype.ToEngine(DType.Invalid);
        EngineArray array = value switch
        {
            NDArray a => a.Value,
            EngineArray a => a,
            float f => f,
            double d => target is DType.Invalid or DType.Double ? ((NDArray)d).Value : (float)d,
            int i => i,
            long l => l,
            bool b => b,
            string s => EngineArray.FromString(s),
            float[] a => a,
            int[] a => a,
            long[] a => ((NDArray)a).Value,
            double[] a => ((NDArray)a).Value,
            float[,] a => a,
            int[,] a => ((NDArray)a).Value,
            double[,] a => ((NDArray)a).Value,
            _ => throw new TypeError($"Cannot convert a {value?.GetType().Name ?? "null"} to a tensor."),
        };
        return target == DType.Invalid || target == array.DType ? array : Cast(array, target);
    }

    private static EngineArray Cast(EngineArray array, DType target)
    {
        var values = new NDArray(array).ToArray<double>();
        var data = EngineArray.AllocateBuffer(target, values.Length);
        for (int i = 0; i < values.Length; i++)
            data.SetValue(Convert.ChangeType(values[i], data.GetType().GetElementType()!, System.Globalization.CultureInfo.InvariantCulture), i);
        return new EngineArray(target, array.Shape, data);
    }

    /// <summary>
    /// A binary op as Python's operator wrappers build it: a name scope `name`, the non-tensor operand
    /// converted inside it (as "x" or "y", of the tensor operand's dtype), the op named by the scope.
    /// </summary>
    internal static Tensor binary(string type, string name, object x, object y)
    {
        var like = (x as Tensor) ?? (y as Tensor) ?? (x as RefVariable)?.AsTensor() ?? (y as RefVariable)?.AsTensor()
            ?? throw new TypeError($"'{name}' needs a tensor operand.");
        var graph = like.Value.Graph;
        using var scope = graph.NameScope(name);
        var a = convert_to_tensor(x, like.dtype, "x").Value;
        var b = convert_to_tensor(y, like.dtype, "y").Value;
        return Tensor.From(graph.CreateOperation(type, scope.ScopeName, [a, b],
            [KeyValuePair.Create("T", TfMnist.Core.Attr.Type(a.DType))]).Output);
    }
}
