using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Checkpoint;

/// <summary>
/// The fixed-size element types a bundle can hold as plain little-endian bytes. Strings (stored
/// by TensorFlow as varint lengths, a length checksum and the bytes) and variants are not
/// supported; the MNIST model never saves them.
/// </summary>
internal static class TensorTypes
{
    /// <summary>Bytes per element, or 0 when the type is not a supported fixed-size type.</summary>
    public static int ElementSize(DataType dtype) => dtype switch
    {
        DataType.DtFloat or DataType.DtInt32 => 4,
        DataType.DtDouble or DataType.DtInt64 or DataType.DtComplex64 => 8,
        DataType.DtUint8 or DataType.DtInt8 or DataType.DtBool => 1,
        DataType.DtInt16 or DataType.DtHalf or DataType.DtBfloat16 => 2,
        _ => 0,
    };

    /// <summary>The dtype of a .NET element type used by the typed helpers.</summary>
    public static DataType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => DataType.DtFloat,
        var t when t == typeof(double) => DataType.DtDouble,
        var t when t == typeof(int) => DataType.DtInt32,
        var t when t == typeof(long) => DataType.DtInt64,
        var t when t == typeof(byte) => DataType.DtUint8,
        var t when t == typeof(bool) => DataType.DtBool,
        var t => throw new NotSupportedException($"No TensorFlow dtype is mapped to {t.Name}."),
    };

    /// <summary>Element count of a shape, rejecting negative (unknown) dimensions and overflow.</summary>
    public static long NumElements(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
                throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has an unknown (negative) dimension.");
            count = checked(count * dim);
        }
        return count;
    }

    public static TensorShapeProto ToProto(IReadOnlyList<long> shape)
    {
        var proto = new TensorShapeProto();
        foreach (long dim in shape)
            proto.Dim.Add(new TensorShapeProto.Types.Dim { Size = dim });
        return proto;
    }

    /// <summary>
    /// TensorFlow's saved bytes are little-endian; the typed helpers reinterpret memory, which is
    /// only correct on a little-endian host.
    /// </summary>
    public static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Typed tensor access requires a little-endian host.");
    }
}
