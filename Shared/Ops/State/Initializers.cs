using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF 1.x's init_ops initializers: each builds a variable's initial value for a shape and dtype in the current
/// graph and name scope (tf.get_variable calls it under "&lt;var&gt;/Initializer/"), with the ops TF builds.
/// </summary>
public interface IInitializer
{
    /// <summary>The initial value's tensor, built in <see cref="Graph.Current"/>.</summary>
    Tensor Build(Shape shape, DType dtype);
}

/// <summary>tf.zeros_initializer(): array_ops.zeros — a Const "zeros" below 1000 elements, else a Fill.</summary>
public sealed class ZerosInitializer : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype) => PyArrayOps.Zeros(Graph.Current, shape, dtype);
}

/// <summary>tf.ones_initializer(): array_ops.ones — a Const "ones" below 1000 elements, else a Fill.</summary>
public sealed class OnesInitializer : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype) => PyArrayOps.Filled(Graph.Current, shape, dtype, 1f, "ones");
}

/// <summary>tf.constant_initializer(value): constant(value, shape=shape) named "Const".</summary>
public sealed class ConstantInitializer(float value) : IInitializer
{
    /// <summary>The value every element takes.</summary>
    public float Value { get; } = value;

    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype)
    {
        var array = NDArray.Zeros(dtype, shape.ToArray());
        switch (dtype)
        {
            case DType.Float: array.Floats.Fill(Value); break;
            case DType.Int32: array.Ints.Fill((int)Value); break;
            case DType.Int64: array.Longs.Fill((long)Value); break;
            default: throw new NotSupportedException($"constant_initializer does not support {dtype.TfName()}.");
        }
        return ConstOp.Create(array, "Const", Graph.Current);
    }
}

/// <summary>tf.truncated_normal_initializer(mean, stddev, seed): random_ops.truncated_normal ("truncated_normal/...").</summary>
public sealed class TruncatedNormalInitializer(float mean = 0f, float stddev = 1f, int? seed = null) : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype) => RandomOps.TruncatedNormal(Dims(shape, dtype), mean, stddev, seed);

    internal static int[] Dims(Shape shape, DType dtype)
    {
        if (dtype != DType.Float) throw new NotSupportedException($"Random initializers support float32 here, not {dtype.TfName()}.");
        return shape.ToArray();
    }
}

/// <summary>tf.random_normal_initializer(mean, stddev, seed): random_ops.random_normal ("random_normal/...").</summary>
public sealed class RandomNormalInitializer(float mean = 0f, float stddev = 1f, int? seed = null) : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype) => RandomOps.RandomNormal(TruncatedNormalInitializer.Dims(shape, dtype), mean, stddev, seed);
}

/// <summary>tf.random_uniform_initializer(minval, maxval, seed): random_ops.random_uniform ("random_uniform/...").</summary>
public sealed class RandomUniformInitializer(float minval = 0f, float maxval = 1f, int? seed = null) : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype) => RandomOps.RandomUniform(TruncatedNormalInitializer.Dims(shape, dtype), minval, maxval, seed);
}

/// <summary>
/// tf.glorot_uniform_initializer(seed) (get_variable's default for floats): VarianceScaling(1.0, "fan_avg",
/// "uniform"), i.e. random_uniform(shape, -limit, limit) with limit = √(6 / (fan_in + fan_out)).
/// </summary>
public sealed class GlorotUniformInitializer(int? seed = null) : IInitializer
{
    /// <inheritdoc/>
    public Tensor Build(Shape shape, DType dtype)
    {
        float limit = Limit(shape);
        return RandomOps.RandomUniform(TruncatedNormalInitializer.Dims(shape, dtype), -limit, limit, seed);
    }

    /// <summary>√(3·scale) with scale = 1 / max(1, (fan_in + fan_out) / 2), as TF computes it in Python floats.</summary>
    public static float Limit(Shape shape)
    {
        var (fanIn, fanOut) = Fans(shape.ToArray());
        double scale = 1.0 / Math.Max(1.0, (fanIn + fanOut) / 2.0);
        return (float)Math.Sqrt(3.0 * scale);
    }

    /// <summary>TF's _compute_fans: scalars 1 and 1; vectors n and n; matrices rows and columns; convolution kernels
    /// times the receptive field.</summary>
    public static (double FanIn, double FanOut) Fans(int[] shape)
    {
        if (shape.Length < 1) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        if (shape.Length == 2) return (shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }
}
