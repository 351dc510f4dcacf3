namespace TfMnist.Core;

/// <summary>Element types, numbered as TensorFlow's DataType enum (so protos convert by cast).</summary>
public enum DType
{
    Invalid = 0,
    Float = 1,
    Double = 2,
    Int32 = 3,
    UInt8 = 4,
    String = 7,
    Int64 = 9,
    Bool = 10,
}

public static class DTypeExtensions
{
    /// <summary>TensorFlow marks reference (variable) edges as the base type + 100.</summary>
    public const int RefOffset = 100;

    public static string TfName(this DType dtype) => dtype switch
    {
        DType.Float => "float32",
        DType.Double => "float64",
        DType.Int32 => "int32",
        DType.UInt8 => "uint8",
        DType.String => "string",
        DType.Int64 => "int64",
        DType.Bool => "bool",
        _ => "invalid",
    };

    /// <summary>Bytes per element of the raw little-endian encoding (0 for strings).</summary>
    public static int ByteSize(this DType dtype) => dtype switch
    {
        DType.Float or DType.Int32 => 4,
        DType.Double or DType.Int64 => 8,
        DType.UInt8 or DType.Bool => 1,
        _ => 0,
    };

    public static bool IsFloating(this DType dtype) => dtype is DType.Float or DType.Double;

    public static DType FromProto(Proto.DataType proto)
    {
        int value = (int)proto;
        if (value > RefOffset) value -= RefOffset;
        return value switch
        {
            1 or 2 or 3 or 4 or 7 or 9 or 10 => (DType)value,
            _ => DType.Invalid,
        };
    }

    public static Proto.DataType ToProto(this DType dtype, bool isRef = false) =>
        (Proto.DataType)((int)dtype + (isRef ? RefOffset : 0));
}
