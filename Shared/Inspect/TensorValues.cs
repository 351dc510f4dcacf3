using System.Buffers.Binary;
using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>A checkpoint tensor's little-endian bytes as doubles, for statistics and printing.</summary>
internal static class TensorValues
{
    /// <summary>Whether <see cref="ToDoubles"/> can read <paramref name="dtype"/>.</summary>
    public static bool IsNumeric(DataType dtype) => ElementSize(dtype) > 0;

    public static double[] ToDoubles(DataType dtype, ReadOnlySpan<byte> bytes)
    {
        int size = ElementSize(dtype);
        if (size == 0) return [];
        var values = new double[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            var b = bytes.Slice(i * size, size);
            values[i] = dtype switch
            {
                DataType.DtFloat => BinaryPrimitives.ReadSingleLittleEndian(b),
                DataType.DtDouble => BinaryPrimitives.ReadDoubleLittleEndian(b),
                DataType.DtHalf => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
                DataType.DtInt32 => BinaryPrimitives.ReadInt32LittleEndian(b),
                DataType.DtInt64 => BinaryPrimitives.ReadInt64LittleEndian(b),
                DataType.DtInt16 => BinaryPrimitives.ReadInt16LittleEndian(b),
                DataType.DtInt8 => (sbyte)b[0],
                _ => b[0], // uint8, bool
            };
        }
        return values;
    }

    /// <summary>Min, max, mean and population standard deviation (numpy's defaults); NaN when empty.</summary>
    public static (double Min, double Max, double Mean, double Std) Statistics(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }
        double mean = sum / values.Length, squares = 0;
        // Two passes: the squared deviations from the mean, not sum-of-squares minus mean squared,
        // which loses every digit on weights that sit close to a large bias.
        foreach (double v in values) squares += (v - mean) * (v - mean);
        return (min, max, mean, Math.Sqrt(squares / values.Length));
    }

    private static int ElementSize(DataType dtype) => dtype switch
    {
        DataType.DtFloat or DataType.DtInt32 => 4,
        DataType.DtDouble or DataType.DtInt64 => 8,
        DataType.DtHalf or DataType.DtInt16 => 2,
        DataType.DtUint8 or DataType.DtInt8 or DataType.DtBool => 1,
        _ => 0,
    };
}
