using System.Runtime.InteropServices;

namespace TfMnist.Core;

/// <summary>
/// A dense, row-major host tensor: the values a Session feeds, computes and fetches.
/// Storage is a managed array of the element type (string tensors hold byte[] elements).
/// </summary>
public sealed class NDArray
{
    private int[] _shape;

    public NDArray(DType dtype, int[] shape, Array data)
    {
        DType = dtype;
        _shape = shape;
        Data = data;
        Size = checked(ElementCount(shape));
        if (data.Length < Size)
            throw new ArgumentException($"Buffer of {data.Length} elements is too small for shape [{string.Join(",", shape)}].");
    }

    public static NDArray Zeros(DType dtype, params int[] shape) => new(dtype, shape, AllocateBuffer(dtype, ElementCount(shape)));

    public DType DType { get; }
    public int[] Shape => _shape;
    public int Rank => _shape.Length;

    /// <summary>Element count (the buffer may be longer when it is reused).</summary>
    public int Size { get; }

    public Array Data { get; }

    public Span<float> Floats => new((float[])Data, 0, Size);
    public Span<int> Ints => new((int[])Data, 0, Size);
    public Span<long> Longs => new((long[])Data, 0, Size);
    public Span<bool> Bools => new((bool[])Data, 0, Size);
    public Span<byte> Bytes => new((byte[])Data, 0, Size);
    public Span<byte[]> Strings => new((byte[][])Data, 0, Size);

    public float[] FloatArray => (float[])Data;

    /// <summary>A scalar's value (or element 0), converted.</summary>
    public float ScalarFloat() => DType switch
    {
        DType.Float => Floats[0],
        DType.Double => (float)((double[])Data)[0],
        DType.Int32 => Ints[0],
        DType.Int64 => Longs[0],
        _ => throw new InvalidOperationException($"A {DType.TfName()} tensor is not numeric."),
    };

    public long ScalarLong() => DType switch
    {
        DType.Int32 => Ints[0],
        DType.Int64 => Longs[0],
        _ => throw new InvalidOperationException($"A {DType.TfName()} tensor is not an integer."),
    };

    /// <summary>Raw little-endian bytes of a numeric tensor (a view over the buffer).</summary>
    public Span<byte> RawBytes => DType switch
    {
        DType.Float => MemoryMarshal.AsBytes(Floats),
        DType.Int32 => MemoryMarshal.AsBytes(Ints),
        DType.Int64 => MemoryMarshal.AsBytes(Longs),
        DType.Double => MemoryMarshal.AsBytes(new Span<double>((double[])Data, 0, Size)),
        DType.UInt8 => Bytes,
        DType.Bool => MemoryMarshal.AsBytes(Bools),
        _ => throw new InvalidOperationException($"A {DType.TfName()} tensor has no raw encoding."),
    };

    /// <summary>Same buffer, another shape with the same element count (Reshape's zero-copy view).</summary>
    public NDArray Reshaped(int[] shape)
    {
        if (ElementCount(shape) != Size)
            throw new ArgumentException($"Cannot reshape a tensor with {Size} elements to shape [{string.Join(",", shape)}]");
        return new NDArray(DType, shape, Data);
    }

    public NDArray Clone()
    {
        var copy = AllocateBuffer(DType, Size);
        Array.Copy(Data, copy, Size);
        return new NDArray(DType, (int[])_shape.Clone(), copy);
    }

    public bool ShapeEquals(ReadOnlySpan<int> shape) => _shape.AsSpan().SequenceEqual(shape);

    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int d in shape) n = checked(n * d);
        return n;
    }

    public static Array AllocateBuffer(DType dtype, int size) => dtype switch
    {
        DType.Float => new float[size],
        DType.Double => new double[size],
        DType.Int32 => new int[size],
        DType.Int64 => new long[size],
        DType.Bool => new bool[size],
        DType.UInt8 => new byte[size],
        DType.String => new byte[size][],
        _ => throw new NotSupportedException($"dtype {dtype} has no host storage"),
    };

    public override string ToString() => $"NDArray<{DType.TfName()}>[{string.Join(",", _shape)}]";

    // Conversions that make feeds and constants read naturally: (x, images) or tf.constant(0.1f).
    /// <summary>A scalar of <paramref name="dtype"/> holding <paramref name="value"/> (truncated for integers), as
    /// Python's numeric constants become tensors of the other operand's dtype.</summary>
    public static NDArray ScalarOf(float value, DType dtype) => dtype switch
    {
        DType.Float => value,
        DType.Int32 => (int)value,
        DType.Int64 => (long)value,
        DType.Double => new NDArray(DType.Double, [], new[] { (double)value }),
        _ => throw new NotSupportedException($"A numeric constant cannot be {dtype.TfName()}."),
    };

    public static implicit operator NDArray(float value) => new(DType.Float, Array.Empty<int>(), new[] { value });
    public static implicit operator NDArray(int value) => new(DType.Int32, Array.Empty<int>(), new[] { value });
    public static implicit operator NDArray(long value) => new(DType.Int64, Array.Empty<int>(), new[] { value });
    public static implicit operator NDArray(bool value) => new(DType.Bool, Array.Empty<int>(), new[] { value });
    public static implicit operator NDArray(float[] values) => new(DType.Float, new[] { values.Length }, values);
    public static implicit operator NDArray(int[] values) => new(DType.Int32, new[] { values.Length }, values);

    public static implicit operator NDArray(float[,] values)
    {
        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, values.Length * sizeof(float));
        return new NDArray(DType.Float, new[] { values.GetLength(0), values.GetLength(1) }, flat);
    }

    public static NDArray FromString(string value) =>
        new(DType.String, Array.Empty<int>(), new[] { System.Text.Encoding.UTF8.GetBytes(value) });
}
