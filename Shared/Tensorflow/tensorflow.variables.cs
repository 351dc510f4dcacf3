#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Ops;
using EngineGraph = TfMnist.Framework.Graph;

namespace Tensorflow;

// Variable scopes, get_variable and the initializers (TF 1.x's variable_scope and init_ops).
public sealed partial class tensorflow
{
    /// <summary>
    /// tf.variable_scope(name, reuse): names get_variable's variables "&lt;scope&gt;/&lt;name&gt;" and opens the
    /// name scope of the same name; with reuse, get_variable returns the existing variables. With a
    /// null name, the first unused of <paramref name="default_name"/>, "_1", ....
    /// </summary>
    public variable_scope variable_scope(string? name, string? default_name = null, Tensor[]? values = null, bool? reuse = null,
        bool auxiliary_name_scope = true) =>
        new(name, default_name, reuse == true ? VariableReuse.Reuse : VariableReuse.Inherit);

    /// <summary>tf.AUTO_REUSE: a variable_scope whose get_variable creates a variable once, then returns it.</summary>
    public variable_scope variable_scope(string name, bool auto_reuse) =>
        new(name, null, auto_reuse ? VariableReuse.AutoReuse : VariableReuse.Inherit);

    /// <summary>
    /// tf.get_variable: the variable "&lt;scope&gt;/&lt;name&gt;", created from <paramref name="initializer"/> (an
    /// initializer, or a tensor giving the value and shape) under "&lt;name&gt;/Initializer/", or the existing
    /// one in a reusing scope. The default initializer is glorot_uniform for floats, zeros otherwise.
    /// </summary>
    public RefVariable get_variable(string name, Shape? shape = null, TF_DataType dtype = TF_DataType.DtInvalid,
        object? initializer = null, bool? trainable = null)
    {
        var variable = initializer switch
        {
            Tensor value => VariableScopes.GetVariable(name, value.Value, trainable ?? true),
            RefVariable value => VariableScopes.GetVariable(name, value.AsTensor().Value, trainable ?? true),
            IInitializer init => VariableScopes.GetVariable(name, shape?.ToEngine(), dtype.ToEngine(), init, trainable ?? true),
            null => VariableScopes.GetVariable(name, shape?.ToEngine(), dtype.ToEngine(), null, trainable ?? true),
            _ => VariableScopes.GetVariable(name, Tensor.From(ConstOp.Create(ops.ToArray(initializer, dtype), "Const", EngineGraph.Current)).Value,
                trainable ?? true),
        };
        return RefVariable.From(variable);
    }

    public IInitializer zeros_initializer => new ZerosInitializer();

    public IInitializer ones_initializer => new OnesInitializer();

    public IInitializer glorot_uniform_initializer => new GlorotUniformInitializer();

    public IInitializer random_uniform_initializer => new RandomUniformInitializer();

    public IInitializer truncated_normal_initializer(float mean = 0f, float stddev = 1f, int? seed = null,
        TF_DataType dtype = TF_DataType.TF_FLOAT) => new TruncatedNormalInitializer(mean, stddev, seed);

    public IInitializer random_normal_initializer(float mean = 0f, float stddev = 1f, int? seed = null,
        TF_DataType dtype = TF_DataType.TF_FLOAT) => new RandomNormalInitializer(mean, stddev, seed);

    public IInitializer constant_initializer<T>(T value, TF_DataType dtype = TF_DataType.TF_FLOAT, bool verify_shape = false) =>
        new ConstantInitializer(Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>An open tf.variable_scope (entered when made; `tf_with` or `using` closes it).</summary>
public sealed class variable_scope : ITensorFlowObject
{
    private readonly IDisposable _scope;

    internal variable_scope(string? name, string? defaultName, VariableReuse reuse)
    {
        var graph = EngineGraph.Current;
        _scope = name is not null ? VariableScopes.Enter(graph, name, reuse)
            : VariableScopes.EnterDefault(graph, defaultName ?? throw new ValueError("variable_scope needs a name or a default_name."));
        this.name = VariableScopes.Current(graph).Name;
    }

    /// <summary>The scope's full name ("model/FC1").</summary>
    public string name { get; }

    public void __enter__() { }

    public void __exit__() => _scope.Dispose();

    public void Dispose() => __exit__();
}
