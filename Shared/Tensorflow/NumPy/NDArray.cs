#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Globalization;
using System.Text;
using TfMnist.Core;
using EngineArray = TfMnist.Core.NDArray;

namespace Tensorflow.NumPy;

/// <summary>
/// TensorFlow.NET's NDArray: a host value fed to and fetched from a session. It wraps the engine's
/// array (no copy) and converts implicitly to and from .NET scalars and arrays, so
/// `(float loss, float acc) = sess.run((loss, accuracy), ...)` and `(x, images)` feeds read as in
/// TensorFlow.NET.
/// </summary>
public sealed partial class NDArray
{
    public NDArray(EngineArray value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The engine's array this wraps.</summary>
    public EngineArray Value { get; }

    public Shape shape => new(Value.Shape);

    public TF_DataType dtype => Value.DType.ToFacade();

    public int ndim => Value.Rank;

    public long size => Value.Size;

    /// <summary>Rows along the first axis: `images[i]` is image i, `scalars[]` a copy of the whole.</summary>
    public NDArray this[params int[] indices]
    {
        get
        {
            if (indices.Length > Value.Rank)
                throw new IndexError($"too many indices for array: array is {Value.Rank}-dimensional, but {indices.Length} were indexed");
            int offset = 0, stride = Value.Size;
            for (int i = 0; i < indices.Length; i++)
            {
                int dim = Value.Shape[i], index = indices[i] < 0 ? indices[i] + dim : indices[i];
                if (index < 0 || index >= dim)
                    throw new IndexError($"index {indices[i]} is out of bounds for axis {i} with size {dim}");
                stride /= dim;
                offset += index * stride;
            }
            var data = EngineArray.AllocateBuffer(Value.DType, stride);
            Array.Copy(Value.Data, offset, data, 0, stride);
            return new NDArray(new EngineArray(Value.DType, Value.Shape[indices.Length..], data));
        }
    }

    /// <summary>Rows picked by an integer array (numpy's fancy indexing on the first axis).</summary>
    public NDArray this[NDArray rows]
    {
        get
        {
            var picks = rows.ToArray<long>();
            int rowSize = Value.Rank == 0 ? 1 : Value.Size / Math.Max(1, Value.Shape[0]);
            var data = EngineArray.AllocateBuffer(Value.DType, picks.Length * rowSize);
            for (int i = 0; i < picks.Length; i++)
                Array.Copy(Value.Data, checked((int)picks[i] * rowSize), data, i * rowSize, rowSize);
            int[] shape = [picks.Length, .. Value.Shape[1..]];
            return new NDArray(new EngineArray(Value.DType, shape, data));
        }
    }

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/>.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[Value.Size];
        for (int i = 0; i < result.Length; i++) result[i] = ConvertElement<T>(i);
        return result;
    }

    /// <summary>The index of the largest element of the flattened array (numpy's argmax()).</summary>
    public int argmax()
    {
        var values = ToArray<double>();
        if (values.Length == 0) throw new ValueError("attempt to get argmax of an empty sequence");
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>The same elements in another shape, sharing this array's buffer (numpy's view); one dimension may be -1.</summary>
    public NDArray reshape(Shape newShape) => new(Value.Reshaped(ResolveShape(newShape)));

    private int[] ResolveShape(Shape newShape)
    {
        var dims = newShape.as_list();
        int unknown = Array.IndexOf(dims, -1);
        if (unknown >= 0)
        {
            int known = dims.Where(d => d >= 0).Aggregate(1, (a, b) => a * b);
            dims[unknown] = known == 0 ? 0 : Value.Size / known;
        }
        return dims;
    }

    private T ConvertElement<T>(int i) where T : unmanaged
    {
        object element = Value.DType switch
        {
            DType.Float => Value.Floats[i],
            DType.Double => ((double[])Value.Data)[i],
            DType.Int32 => Value.Ints[i],
            DType.Int64 => Value.Longs[i],
            DType.UInt8 => Value.Bytes[i],
            DType.Bool => Value.Bools[i],
            _ => throw new InvalidOperationException($"A {Value.DType.TfName()} array has no numeric elements."),
        };
        return (T)Convert.ChangeType(element, typeof(T), CultureInfo.InvariantCulture);
    }

    private T Scalar<T>() where T : unmanaged
    {
        if (Value.Size != 1)
            throw new InvalidCastException($"Only an array of one element converts to {typeof(T).Name}; this one has shape {shape}.");
        return ConvertElement<T>(0);
    }

    public static implicit operator float(NDArray nd) => nd.Scalar<float>();
    public static implicit operator double(NDArray nd) => nd.Scalar<double>();
    public static implicit operator int(NDArray nd) => nd.Scalar<int>();
    public static implicit operator long(NDArray nd) => nd.Scalar<long>();
    public static implicit operator bool(NDArray nd) => nd.Scalar<bool>();
    public static implicit operator byte(NDArray nd) => nd.Scalar<byte>();

    public static implicit operator NDArray(float value) => new((EngineArray)value);
    public static implicit operator NDArray(double value) => new(new EngineArray(DType.Double, [], new[] { value }));
    public static implicit operator NDArray(int value) => new((EngineArray)value);
    public static implicit operator NDArray(long value) => new((EngineArray)value);
    public static implicit operator NDArray(bool value) => new((EngineArray)value);
    public static implicit operator NDArray(float[] values) => new((EngineArray)values);
    public static implicit operator NDArray(int[] values) => new((EngineArray)values);
    public static implicit operator NDArray(long[] values) => new(new EngineArray(DType.Int64, [values.Length], values));
    public static implicit operator NDArray(double[] values) => new(new EngineArray(DType.Double, [values.Length], values));
    public static implicit operator NDArray(float[,] values) => new((EngineArray)values);
    public static implicit operator NDArray(int[,] values) => FromMatrix(values, DType.Int32);
    public static implicit operator NDArray(double[,] values) => FromMatrix(values, DType.Double);
    public static implicit operator NDArray(string value) => new(EngineArray.FromString(value));
    public static implicit operator NDArray(EngineArray value) => new(value);
    public static implicit operator EngineArray(NDArray value) => value.Value;

    private static NDArray FromMatrix<T>(T[,] values, DType dtype) where T : unmanaged
    {
        var flat = new T[values.Length];
        int cols = values.GetLength(1);
        for (int r = 0; r < values.GetLength(0); r++)
            for (int c = 0; c < cols; c++) flat[r * cols + c] = values[r, c];
        return new NDArray(new EngineArray(dtype, [values.GetLength(0), cols], flat));
    }

    /// <summary>numpy's print form: "[[0.1, 0.2], ...]", scalars bare, strings as text.</summary>
    public override string ToString()
    {
        if (Value.DType == DType.String)
            return Value.Size == 1 ? Encoding.UTF8.GetString(Value.Strings[0]) : $"<{Value.Size} strings>";
        var text = new StringBuilder();
        Append(text, 0, 0);
        return text.ToString();
    }

    private int Append(StringBuilder text, int axis, int offset)
    {
        if (axis == Value.Rank)
        {
            // Floats print as the shortest text that round-trips the float32 (numpy's repr), not as widened doubles.
            text.Append(Value.DType == DType.Float
                ? Value.Floats[offset].ToString(CultureInfo.InvariantCulture)
                : Convert.ToString(ConvertElement<double>(offset), CultureInfo.InvariantCulture));
            return offset + 1;
        }
        text.Append('[');
        for (int i = 0; i < Value.Shape[axis]; i++)
        {
            if (i > 0) text.Append(axis == Value.Rank - 1 ? ", " : ",\n");
            offset = Append(text, axis + 1, offset);
        }
        text.Append(']');
        return offset;
    }
}
