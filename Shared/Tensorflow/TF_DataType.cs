#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using TfMnist.Core;

namespace Tensorflow;

/// <summary>TensorFlow.NET's element types, numbered as TensorFlow's DataType enum (as the engine's <see cref="DType"/> is).</summary>
public enum TF_DataType
{
    DtInvalid = 0,
    TF_FLOAT = 1,
    TF_DOUBLE = 2,
    TF_INT32 = 3,
    TF_UINT8 = 4,
    TF_STRING = 7,
    TF_INT64 = 9,
    TF_BOOL = 10,
}

/// <summary>Conversions between the facade's and the engine's element types.</summary>
public static class DataTypeConversions
{
    /// <summary>The engine's type; DtInvalid (TF.NET's "infer it") maps to <paramref name="fallback"/>.</summary>
    public static DType ToEngine(this TF_DataType dtype, DType fallback = DType.Float) => dtype switch
    {
        TF_DataType.DtInvalid => fallback,
        TF_DataType.TF_FLOAT or TF_DataType.TF_DOUBLE or TF_DataType.TF_INT32 or TF_DataType.TF_UINT8
            or TF_DataType.TF_STRING or TF_DataType.TF_INT64 or TF_DataType.TF_BOOL => (DType)(int)dtype,
        _ => throw new NotSupportedException($"The engine has no element type {dtype}."),
    };

    public static TF_DataType ToFacade(this DType dtype) => (TF_DataType)(int)dtype;

    /// <summary>TF.NET's name for the type ("float32", "int64", ...).</summary>
    public static string as_numpy_name(this TF_DataType dtype) => dtype.ToEngine().TfName();
}
