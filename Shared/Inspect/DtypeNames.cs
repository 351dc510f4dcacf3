using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>
/// Dtypes as TensorFlow's Python API prints them (<c>float32</c>, <c>int64</c>, <c>float32_ref</c>),
/// for every type a checkpoint or graph may hold, wider than the engine's own <c>DType</c>.
/// </summary>
public static class DtypeNames
{
    /// <summary>TensorFlow's Python spelling of a dtype: <c>DtFloat</c> -> <c>float32</c>.</summary>
    public static string Python(DataType dtype) => dtype switch
    {
        DataType.DtFloat => "float32",
        DataType.DtDouble => "float64",
        DataType.DtHalf => "float16",
        DataType.DtInt32 => "int32",
        DataType.DtInt64 => "int64",
        DataType.DtInt16 => "int16",
        DataType.DtInt8 => "int8",
        DataType.DtUint8 => "uint8",
        DataType.DtBool => "bool",
        DataType.DtString => "string",
        var other when (int)other > 100 => Python((DataType)((int)other - 100)) + "_ref",
        var other => other.ToString(),
    };
}
