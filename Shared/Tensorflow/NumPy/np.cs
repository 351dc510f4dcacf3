#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Core;
using EngineArray = TfMnist.Core.NDArray;

namespace Tensorflow.NumPy;

/// <summary>The numpy functions TensorFlow.NET programs use with `using Tensorflow.NumPy;`.</summary>
public static class np
{
    public const TF_DataType float32 = TF_DataType.TF_FLOAT;
    public const TF_DataType float64 = TF_DataType.TF_DOUBLE;
    public const TF_DataType int32 = TF_DataType.TF_INT32;
    public const TF_DataType int64 = TF_DataType.TF_INT64;
    public const TF_DataType @bool = TF_DataType.TF_BOOL;

    public static NDArray array(float[] data) => data;
    public static NDArray array(float[,] data) => data;
    public static NDArray array(double[] data) => data;
    public static NDArray array(double[,] data) => data;
    public static NDArray array(int[] data) => data;
    public static NDArray array(int[,] data) => data;
    public static NDArray array(long[] data) => data;
    public static NDArray array(params bool[] data) => new(new EngineArray(DType.Bool, [data.Length], data));

    public static NDArray zeros(Shape shape, TF_DataType dtype = TF_DataType.TF_DOUBLE) => Filled(shape, dtype, 0);

    public static NDArray ones(Shape shape, TF_DataType dtype = TF_DataType.TF_DOUBLE) => Filled(shape, dtype, 1);

    /// <summary>0, 1, ..., stop - 1 as int32.</summary>
    public static NDArray arange(int stop) => arange(0, stop);

    public static NDArray arange(int start, int stop, int step = 1)
    {
        if (step == 0) throw new ValueError("arange: step must not be zero");
        int count = Math.Max(0, (stop - start + step - Math.Sign(step)) / step);
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = start + i * step;
        return values;
    }

    /// <summary>The index of the largest element along <paramref name="axis"/> (int64, as numpy gives).</summary>
    public static NDArray argmax(NDArray a, int? axis = null)
    {
        if (axis is null) return (long)a.argmax();
        if (a.ndim != 2 || axis is not (1 or -1))
            throw new NotSupportedException("np.argmax supports the whole array or axis 1 of a matrix.");
        int rows = (int)a.shape[0];
        var result = new long[rows];
        for (int r = 0; r < rows; r++) result[r] = a[r].argmax();
        return result;
    }

    private static NDArray Filled(Shape shape, TF_DataType dtype, double value)
    {
        var engine = EngineArray.Zeros(dtype.ToEngine(), shape.as_list());
        if (value != 0)
            for (int i = 0; i < engine.Size; i++)
                engine.Data.SetValue(Convert.ChangeType(value, engine.Data.GetType().GetElementType()!, System.Globalization.CultureInfo.InvariantCulture), i);
        return engine;
    }
}
