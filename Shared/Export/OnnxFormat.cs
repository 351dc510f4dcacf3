using Google.Protobuf;
using TfMnist.Core;
using TfMnist.Proto.Onnx;

namespace TfMnist.Export;

/// <summary>The ONNX format facts the exporter needs: element types, versions, tensors and attributes.</summary>
public static class OnnxFormat
{
    /// <summary>ONNX Runtime reads opsets from 7 on; an exported model never asks for less.</summary>
    public const int MinOpset = 7;

    /// <summary>The newest opset an export may use (ONNX 1.12, Debian's python3-onnx, and the runtimes still deployed).</summary>
    public const int MaxOpset = 17;

    /// <summary>The IR version that goes with <see cref="MaxOpset"/>.</summary>
    public const int MaxIrVersion = 8;

    /// <summary>
    /// The lowest IR version a file with this default-domain opset can declare (ONNX's versioning table:
    /// opset 8 came with IR 3, 9 with 4, 10 with 5, 11 with 6, 12-14 with 7, 15-17 with 8), but at least
    /// 4: from IR 4 on initializers need not be listed as graph inputs, so the weights stay constants.
    /// </summary>
    public static int IrVersionFor(int opset) => opset switch
    {
        <= 9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        _ => 8,
    };

    /// <summary>ONNX's TensorProto.DataType for an engine dtype.</summary>
    public static int ElementType(DType dtype) => dtype switch
    {
        DType.Float => (int)TensorProto.Types.DataType.Float,
        DType.Double => (int)TensorProto.Types.DataType.Double,
        DType.Int32 => (int)TensorProto.Types.DataType.Int32,
        DType.Int64 => (int)TensorProto.Types.DataType.Int64,
        DType.UInt8 => (int)TensorProto.Types.DataType.Uint8,
        DType.Bool => (int)TensorProto.Types.DataType.Bool,
        _ => throw new NotSupportedException($"dtype {dtype.TfName()} has no ONNX element type here"),
    };

    /// <summary>An initializer: the array's little-endian bytes as raw_data.</summary>
    public static TensorProto Tensor(string name, NDArray value)
    {
        var proto = new TensorProto { Name = name, DataType = ElementType(value.DType), RawData = ByteString.CopyFrom(value.RawBytes) };
        foreach (int d in value.Shape) proto.Dims.Add(d);
        return proto;
    }

    /// <summary>A tensor type with a shape; a dimension unknown (-1) becomes the symbolic <paramref name="dimParam"/>(axis).</summary>
    public static TypeProto TensorType(DType dtype, Shape shape, Func<int, string> dimParam)
    {
        var type = new TypeProto.Types.Tensor { ElemType = ElementType(dtype) };
        if (shape.IsKnownRank)
        {
            type.Shape = new TensorShapeProto();
            for (int axis = 0; axis < shape.Rank; axis++)
                type.Shape.Dim.Add(shape[axis] >= 0
                    ? new TensorShapeProto.Types.Dimension { DimValue = shape[axis] }
                    : new TensorShapeProto.Types.Dimension { DimParam = dimParam(axis) });
        }
        return new TypeProto { TensorType = type };
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attr = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attr.Ints.AddRange(values);
        return attr;
    }
}
