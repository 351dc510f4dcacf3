#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Gradients;
using TfMnist.Ops;
using EngineArray = TfMnist.Core.NDArray;
using EngineGraph = TfMnist.Framework.Graph;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's `tf` object (the type of <see cref="Binding.tf"/>): TF 1.x's graph-mode API in
/// TensorFlow.NET's spelling, building ops in the engine's default graph. This is an API-compatible
/// surface over TfMnist's own engine, not TensorFlow.NET.
/// </summary>
public sealed partial class tensorflow
{
    public readonly TF_DataType float32 = TF_DataType.TF_FLOAT;
    public readonly TF_DataType float64 = TF_DataType.TF_DOUBLE;
    public readonly TF_DataType int32 = TF_DataType.TF_INT32;
    public readonly TF_DataType int64 = TF_DataType.TF_INT64;
    public readonly TF_DataType uint8 = TF_DataType.TF_UINT8;
    public readonly TF_DataType @bool = TF_DataType.TF_BOOL;
    public readonly TF_DataType @string = TF_DataType.TF_STRING;

    public string VERSION => "1.15-graph (TfMnist engine)";

    /// <summary>tf.compat: `tf.compat.v1` is this same TF1 API.</summary>
    public CompatApi compat => new(this);

    public Graph Graph() => new();

    public Graph get_default_graph() => Tensorflow.Graph.From(EngineGraph.Current);

    public void reset_default_graph() => EngineGraph.ResetGlobalDefault();

    public Session Session() => new();

    public Session Session(Graph graph, ConfigProto? config = null) => new(graph, config);

    public Session Session(ConfigProto config) => new(null, config);

    public NameScope name_scope(string? name, string? default_name = null, object? values = null) => new(name ?? default_name);

    /// <summary>A graph-level seed for random ops without their own (tf.set_random_seed).</summary>
    public void set_random_seed(int seed) => get_default_graph().seed = seed;

    /// <summary>TF1 graph mode is the only mode: eager execution is already off.</summary>
    public void disable_eager_execution() { }

    public void enable_eager_execution() => throw new NotSupportedByEngineException("tf.enable_eager_execution");

    public bool executing_eagerly() => false;

    public object keras => throw new NotSupportedByEngineException("tf.keras");

    public Tensor placeholder(TF_DataType dtype, Shape? shape = null, string? name = null) =>
        Tensor.From(PlaceholderOp.Create(dtype.ToEngine(), shape?.ToEngine(), name ?? "Placeholder"));

    /// <summary>A tensor that feeds <paramref name="input"/> unless a value is fed for it.</summary>
    public Tensor placeholder_with_default(Tensor input, Shape shape, string name = "PlaceholderWithDefault") =>
        throw new NotSupportedByEngineException("tf.placeholder_with_default");

    /// <summary>tf.constant(value, dtype, shape): a scalar value fills the whole shape.</summary>
    public Tensor constant(object value, TF_DataType dtype = TF_DataType.DtInvalid, Shape? shape = null, string name = "Const")
    {
        var array = ops.ToArray(value, dtype);
        if (shape is not null && !shape.IsNull && !array.ShapeEquals(shape.as_list()))
        {
            if (array.Size != 1)
                throw new ValueError($"tf.constant: a value of shape {new Shape(array.Shape)} does not fill shape {shape}.");
            var filled = EngineArray.Zeros(array.DType, shape.as_list());
            for (int i = 0; i < filled.Size; i++) Array.Copy(array.Data, 0, filled.Data, i, 1);
            array = filled;
        }
        return Tensor.From(ConstOp.Create(array, name, EngineGraph.Current));
    }

    /// <summary>
    /// tf.Variable(initial_value): a TF1 reference variable. A tensor initial value is used as it is; a
    /// host value becomes the constant "&lt;name&gt;/initial_value", as TF does.
    /// </summary>
    public RefVariable Variable<T>(T data, bool trainable = true, bool validate_shape = true, bool use_resource = false,
        string? name = null, TF_DataType dtype = TF_DataType.DtInvalid, Shape? shape = null)
    {
        var variable = data switch
        {
            Tensor t => new Variable(t.Value, name ?? "Variable", trainable, validate_shape),
            RefVariable v => new Variable(v.Variable.InitialValue, name ?? "Variable", trainable, validate_shape),
            null => throw new ValueError("tf.Variable needs an initial value."),
            _ => new Variable(ops.ToArray(data, dtype), name ?? "Variable", trainable, validate_shape),
        };
        return RefVariable.From(variable);
    }

    public Operation global_variables_initializer() => Operation.From(TfMnist.Ops.Variable.GlobalVariablesInitializer(EngineGraph.Current));

    public Operation initialize_all_variables() => global_variables_initializer();

    public Operation variables_initializer(IVariableV1[] var_list, string name = "init") =>
        group([.. var_list.Select(v => v.Initializer)], name);

    public IVariableV1[] global_variables(string? scope = null) => Collection(TfMnist.Ops.Variable.GlobalVariablesKey, scope);

    public IVariableV1[] trainable_variables(string? scope = null) => Collection(TfMnist.Ops.Variable.TrainableVariablesKey, scope);

    private static IVariableV1[] Collection(string key, string? scope) =>
        [.. EngineGraph.Current.GetCollection<Variable>(key)
            .Where(v => scope is null || v.Name.StartsWith(scope, StringComparison.Ordinal))
            .Select(RefVariable.From)];

    /// <summary>Adds <paramref name="value"/> to the default graph's collection <paramref name="name"/>.</summary>
    public void add_to_collection(string name, object value) => EngineGraph.Current.AddToCollection(name, value switch
    {
        RefVariable v => v.Variable,
        Tensor t => t.Value,
        Operation o => o.Value,
        _ => value,
    });

    public IDisposable control_dependencies(params ITensorOrOperation[] control_inputs) =>
        EngineGraph.Current.ControlDependencies(control_inputs.Select(c => c.op.Value));

    public Tensor[] gradients(Tensor ys, Tensor[] xs, Tensor[]? grad_ys = null) =>
        gradients([ys], xs, grad_ys);

    /// <summary>d(sum ys)/d xs, TF's symbolic gradients; null for an x the ys do not depend on.</summary>
    public Tensor[] gradients(Tensor[] ys, Tensor[] xs, Tensor[]? grad_ys = null) =>
        [.. GradientsBuilder.Build([.. ys.Select(y => y.Value)], [.. xs.Select(x => x.Value)], grad_ys?.Select(g => g.Value).ToList())
            .Select(g => g is null ? null! : Tensor.From(g))];

    public Operation group(ITensorOrOperation[] inputs, string? name = null) =>
        Operation.From(ControlFlow.Group([.. inputs.Select(i => i.op.Value)], name));

    public Operation no_op(string name = "NoOp") => Operation.From(NoOpOp.Create(EngineGraph.Current, name, []));

    public RunOptions RunOptions(int trace_level = Tensorflow.RunOptions.NO_TRACE) => new(trace_level);

    public RunMetadata RunMetadata() => new();
}

/// <summary>tf.compat: its `v1` is the TF1 API itself.</summary>
public sealed class CompatApi(tensorflow tf)
{
    public tensorflow v1 => tf;
}
