#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Core;
using TfMnist.Ops;
using EngineGraph = TfMnist.Framework.Graph;

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

    /// <summary>
    /// tf.truncated_normal: under the scope `name`, constants "shape", "mean" and "stddev", a
    /// TruncatedNormal (values beyond two standard deviations redrawn), then mean + stddev * it.
    /// </summary>
    public Tensor truncated_normal(Shape shape, float mean = 0f, float stddev = 1f, TF_DataType dtype = TF_DataType.TF_FLOAT,
        int? seed = null, string? name = null)
    {
        var graph = EngineGraph.Current;
        using var scope = graph.NameScope(name ?? "truncated_normal");
        var shapeTensor = ConstOp.Vector(graph, shape.as_list(), "shape");
        var meanTensor = ConstOp.Scalar(graph, mean, DType.Float, "mean");
        var stddevTensor = ConstOp.Scalar(graph, stddev, DType.Float, "stddev");
        var (seed1, seed2) = RandomOps.GetSeed(seed);
        var rnd = TruncatedNormalOp.Create(shapeTensor, dtype.ToEngine(), seed1, seed2);
        return AddOp.Create(MulOp.Create(rnd, stddevTensor, "mul"), meanTensor, scope.ScopeName);
    }
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
