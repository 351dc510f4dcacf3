#pragma warning disable CS8981 // `tf` is lower-case on purpose: it is the Python-spelled facade.
#pragma warning disable IDE1006
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Core;

namespace TfMnist.Api;

/// <summary>
/// The TensorFlow 1.x Python API, spelled as in Python so that a TF1 script ports line by line
/// (`tf.placeholder`, `tf.name_scope`, `tf.nn.relu`, ...). Only this facade uses Python names;
/// it forwards to the engine's PascalCase types. Ops go into <see cref="Graph.Current"/>.
/// </summary>
public static partial class tf
{
    public const DType float32 = DType.Float;
    public const DType int32 = DType.Int32;
    public const DType int64 = DType.Int64;
    public const DType @bool = DType.Bool;
    public const DType @string = DType.String;

    public static Graph get_default_graph() => Graph.Current;
    public static void reset_default_graph() => Graph.ResetGlobalDefault();
    public static Runtime.Session Session(Graph? graph = null) => new(graph);

    public static NameScope name_scope(string? name) => Graph.Current.NameScope(name);

    public static Tensor placeholder(DType dtype, Shape? shape = null, string name = "Placeholder") =>
        PlaceholderOp.Create(dtype, shape, name);

    public static Tensor placeholder(DType dtype, int[] shape, string name = "Placeholder") =>
        PlaceholderOp.Create(dtype, new Shape(shape), name);

    /// <summary>tf.constant(value, shape=...): a scalar value fills the whole shape.</summary>
    public static Tensor constant(float value, int[]? shape = null, DType dtype = DType.Float, string name = "Const")
    {
        if (shape is null) return ConstOp.Scalar(Graph.Current, value, dtype, name);
        var filled = NDArray.Zeros(DType.Float, shape);
        filled.Floats.Fill(value);
        return ConstOp.Create(filled, name);
    }

    public static Tensor constant(NDArray value, string name = "Const") => ConstOp.Create(value, name);

    public static Variable Variable(Tensor initialValue, string name = "Variable", bool trainable = true) =>
        new(initialValue, name, trainable);

    public static Operation global_variables_initializer() => Ops.Variable.GlobalVariablesInitializer(Graph.Current);

    public static IReadOnlyList<Variable> global_variables() => Graph.Current.GetCollection<Variable>(GraphKeys.GlobalVariables);

    public static IReadOnlyList<Variable> trainable_variables() => Graph.Current.GetCollection<Variable>(GraphKeys.TrainableVariables);

    public static IDisposable control_dependencies(params Operation[] ops) => Graph.Current.ControlDependencies(ops);

    public static Tensor?[] gradients(Tensor ys, IReadOnlyList<Tensor> xs) => GradientsBuilder.Build([ys], xs);

    public static Tensor?[] gradients(IReadOnlyList<Tensor> ys, IReadOnlyList<Tensor> xs, IReadOnlyList<Tensor>? grad_ys = null) =>
        GradientsBuilder.Build(ys, xs, grad_ys);

    public static RunOptions RunOptions(TraceLevel trace_level = TraceLevel.NoTrace) => new() { TraceLevel = trace_level };

    public static Proto.RunMetadata RunMetadata() => new();

    public static Operation group(params Operation[] inputs) => ControlFlow.Group(inputs);

    public static Operation no_op(string name = "NoOp") => NoOpOp.Create(Graph.Current, name, Array.Empty<Operation>());

    /// <summary>tf.random_normal: mean + stddev * RandomStandardNormal(shape), in a "random_normal" scope.</summary>
    public static Tensor random_normal(int[] shape, float mean = 0f, float stddev = 1f, int? seed = null, string name = "random_normal") =>
        RandomOps.RandomNormal(shape, mean, stddev, seed, name);
}
