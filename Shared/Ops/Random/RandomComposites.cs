using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF 1.x's tf.random_normal and tf.random_uniform as the graphs they build, with the same node
/// names: scope "random_normal" holding "shape", "mean", "stddev", "RandomStandardNormal", "mul",
/// and the result Add named by the scope itself.
/// </summary>
public static partial class RandomOps
{
    /// <summary>TF's DEFAULT_GRAPH_SEED: the first seed when only an op-level seed is given.</summary>
    public const long DefaultGraphSeed = 87654321;

    /// <summary>
    /// tf.get_seed for an op seed known when the graph is built: (DEFAULT_GRAPH_SEED, seed), or
    /// (0, 0) when none, leaving the choice to the kernel (the session's graph-level seed with the
    /// op id, else nondeterministic). The graph-level seed lives on the Session here, so unlike TF a
    /// graph-level seed does not replace DEFAULT_GRAPH_SEED for ops that have their own seed.
    /// </summary>
    public static (long Seed, long Seed2) GetSeed(int? opSeed) => opSeed is int s ? (DefaultGraphSeed, s) : (0, 0);

    /// <summary>tf.random_normal(shape, mean, stddev, seed=seed, name=name): mean + stddev * N(0, 1).</summary>
    public static Tensor RandomNormal(int[] shape, float mean = 0f, float stddev = 1f, int? seed = null, string name = "random_normal") =>
        Scaled((s, a, b) => RandomStandardNormalOp.Create(s, DType.Float, a, b), shape, mean, stddev, seed, name);

    /// <summary>
    /// tf.truncated_normal(shape, mean, stddev, seed=seed, name=name): scope "truncated_normal" holding "shape",
    /// "mean", "stddev", "TruncatedNormal", "mul", and the Add named by the scope; values within 2 stddev of the mean.
    /// </summary>
    public static Tensor TruncatedNormal(int[] shape, float mean = 0f, float stddev = 1f, int? seed = null, string name = "truncated_normal") =>
        Scaled((s, a, b) => TruncatedNormalOp.Create(s, DType.Float, a, b), shape, mean, stddev, seed, name);

    /// <summary>
    /// The structure random_normal and truncated_normal share in TF's random_ops: under the scope `name`, constants
    /// "shape", "mean" and "stddev", the standard draw, "mul" by stddev, and the Add of mean named by the scope.
    /// </summary>
    private static Tensor Scaled(Func<Tensor, long, long, Tensor> draw, int[] shape, float mean, float stddev, int? seed, string name)
    {
        var graph = Graph.Current;
        using var scope = graph.NameScope(name);
        var shapeTensor = ConstOp.Vector(graph, shape, "shape");
        var meanTensor = ConstOp.Scalar(graph, mean, DType.Float, "mean");
        var stddevTensor = ConstOp.Scalar(graph, stddev, DType.Float, "stddev");
        var (seed1, seed2) = GetSeed(seed);
        var rnd = draw(shapeTensor, seed1, seed2);
        var mul = rnd * stddevTensor;
        return AddOp.Create(mul, meanTensor, scope.ScopeName);
    }

    /// <summary>tf.random_uniform with a literal shape: the shape becomes the constant "random_uniform/shape".</summary>
    public static Tensor RandomUniform(int[] shape, float minval = 0f, float maxval = 1f, int? seed = null, string name = "random_uniform")
    {
        var graph = Graph.Current;
        using var scope = graph.NameScope(name);
        var shapeTensor = ConstOp.Vector(graph, shape, "shape");
        return UniformInScope(graph, scope, shapeTensor, minval, maxval, seed);
    }

    /// <summary>tf.random_uniform(shape, minval, maxval, seed=seed, name=name): min + (max - min) * U[0, 1).</summary>
    public static Tensor RandomUniform(Tensor shape, float minval = 0f, float maxval = 1f, int? seed = null, string name = "random_uniform")
    {
        var graph = shape.Graph;
        using var scope = graph.NameScope(name);
        return UniformInScope(graph, scope, shape, minval, maxval, seed);
    }

    private static Tensor UniformInScope(Graph graph, NameScope scope, Tensor shape, float minval, float maxval, int? seed)
    {
        var min = ConstOp.Scalar(graph, minval, DType.Float, "min");
        var max = ConstOp.Scalar(graph, maxval, DType.Float, "max");
        var (seed1, seed2) = GetSeed(seed);
        var rnd = RandomUniformOp.Create(shape, DType.Float, seed1, seed2);
        return AddOp.Create(rnd * (max - min), min, scope.ScopeName);
    }
}
