#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Ops;

namespace Tensorflow;

// Random tensors, built as TF 1.x's random_ops builds them.
public sealed partial class tensorflow
{
    /// <summary>tf.random: TF 2's module name (`tf.random.normal`).</summary>
    public random_internal random => new(this);

    public Tensor random_normal(Shape shape, float mean = 0f, float stddev = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT,
        int? seed = null, string? name = null) =>
        RandomOps.RandomNormal(shape.as_list(), mean, stddev, seed, name ?? "random_normal");

    public Tensor random_uniform(Shape shape, float minval = 0f, float maxval = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT,
        int? seed = null, string? name = null) =>
        RandomOps.RandomUniform(shape.as_list(), minval, maxval, seed, name ?? "random_uniform");

    /// <summary>tf.truncated_normal: mean + stddev * TruncatedNormal(shape), values beyond two standard deviations redrawn.</summary>
    public Tensor truncated_normal(Shape shape, float mean = 0f, float stddev = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT,
        int? seed = null, string? name = null) =>
        RandomOps.TruncatedNormal(shape.as_list(), mean, stddev, seed, name ?? "truncated_normal");
}

/// <summary>tf.random: normal, uniform, truncated_normal.</summary>
public sealed class random_internal(tensorflow tf)
{
    public Tensor normal(Shape shape, float mean = 0f, float stddev = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT, int? seed = null, string? name = null) =>
        tf.random_normal(shape, mean, stddev, dtype, seed, name);

    public Tensor uniform(Shape shape, float minval = 0f, float maxval = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT, int? seed = null, string? name = null) =>
        tf.random_uniform(shape, minval, maxval, dtype, seed, name);

    public Tensor truncated_normal(Shape shape, float mean = 0f, float stddev = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT, int? seed = null, string? name = null) =>
        tf.truncated_normal(shape, mean, stddev, dtype, seed, name);
}
