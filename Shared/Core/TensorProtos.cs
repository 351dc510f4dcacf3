using System.Runtime.InteropServices;
using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Core;

/// <summary>Converts between <see cref="NDArray"/> and TensorFlow's TensorProto (Const values, attrs).</summary>
public static class TensorProtos
{
    public static TensorProto ToProto(NDArray value)
    {
        var proto = new TensorProto
        {
            Dtype = value.DType.ToProto(),
            TensorShape = new Shape(value.Shape).ToProto(),
        };
        // TF writes small constants through the typed repeated fields and larger ones as raw
        // content; a scalar value written once is broadcast by readers to the whole shape.
        if (value.DType == DType.String)
        {
            foreach (var s in value.Strings) proto.StringVal.Add(ByteString.CopyFrom(s));
        }
        else if (value.Size == 1)
        {
            switch (value.DType)
            {
                case DType.Float: proto.FloatVal.Add(value.Floats[0]); break;
                case DType.Int32: proto.IntVal.Add(value.Ints[0]); break;
                case DType.Int64: proto.Int64Val.Add(value.Longs[0]); break;
                case DType.Bool: proto.BoolVal.Add(value.Bools[0]); break;
                case DType.UInt8: proto.IntVal.Add(value.Bytes[0]); break;
                case DType.Double: proto.DoubleVal.Add(((double[])value.Data)[0]); break;
            }
        }
        else if (value.Size > 1)
        {
            proto.TensorContent = ByteString.CopyFrom(value.RawBytes);
        }
        return proto;
    }

    /// <summary>Decodes a TensorProto; a single typed value fills the whole shape (TF semantics).</summary>
    public static NDArray FromProto(TensorProto proto, string owner)
    {
        var dtype = DTypeExtensions.FromProto(proto.Dtype);
        if (dtype == DType.Invalid)
            throw new NotSupportedException($"Tensor in '{owner}' has unsupported dtype {proto.Dtype}.");
        var shape = Shape.FromProto(proto.TensorShape);
        if (!shape.IsFullyDefined) throw new InvalidDataException($"Tensor in '{owner}' has a partial shape {shape}.");
        int[] dims = shape.ToArray();
        int size = NDArray.ElementCount(dims);
        var result = NDArray.Zeros(dtype, dims);
        if (!proto.TensorContent.IsEmpty)
        {
            if (dtype == DType.String) throw new InvalidDataException($"String tensor in '{owner}' uses tensor_content.");
            var raw = proto.TensorContent.Span;
            if (raw.Length != size * dtype.ByteSize())
                throw new InvalidDataException($"Tensor in '{owner}' has {raw.Length} content bytes; shape {shape} of {dtype.TfName()} needs {size * dtype.ByteSize()}.");
            raw.CopyTo(result.RawBytes);
            return result;
        }
        switch (dtype)
        {
            case DType.Float: Fill(result.Floats, proto.FloatVal, owner); break;
            case DType.Double: Fill(new Span<double>((double[])result.Data), proto.DoubleVal, owner); break;
            case DType.Int32: Fill(result.Ints, proto.IntVal, owner); break;
            case DType.UInt8: Fill(result.Bytes, proto.IntVal.Select(v => (byte)v).ToList(), owner); break;
            case DType.Int64: Fill(result.Longs, proto.Int64Val, owner); break;
            case DType.Bool: Fill(result.Bools, proto.BoolVal, owner); break;
            case DType.String: Fill(result.Strings, proto.StringVal.Select(b => b.ToByteArray()).ToList(), owner); break;
        }
        return result;
    }

    private static void Fill<T>(Span<T> target, IReadOnlyList<T> values, string owner)
    {
        if (values.Count > target.Length)
            throw new InvalidDataException($"Tensor in '{owner}' has {values.Count} values for {target.Length} elements.");
        if (values.Count == 0) return; // zeros
        for (int i = 0; i < target.Length; i++) target[i] = values[Math.Min(i, values.Count - 1)];
    }
}
