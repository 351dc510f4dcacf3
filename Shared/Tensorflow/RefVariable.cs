#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Runtime.CompilerServices;
using Tensorflow.NumPy;
using TfMnist.Ops;

namespace Tensorflow;

/// <summary>TensorFlow.NET's variable interface: what programs use of a variable.</summary>
public interface IVariableV1
{
    string Name { get; }

    Operation Op { get; }

    Operation Initializer { get; }

    Graph Graph { get; }

    TF_DataType dtype { get; }

    Shape shape { get; }

    /// <summary>The variable's value as a tensor (its "&lt;name&gt;/read").</summary>
    Tensor AsTensor();
}

/// <summary>
/// A TF1 reference variable (VariableV2 with "&lt;name&gt;/Assign" and "&lt;name&gt;/read"), as
/// tf.Variable and tf.get_variable make them in graph mode; wraps the engine's <see cref="Variable"/>.
/// Converts to its value tensor where a Tensor is wanted.
/// </summary>
public sealed class RefVariable : IVariableV1, ITensorOrOperation
{
    private static readonly ConditionalWeakTable<Variable, RefVariable> Wrappers = new();

    private RefVariable(Variable variable) => Variable = variable;

    /// <summary>The engine's variable this wraps.</summary>
    public Variable Variable { get; }

    public static RefVariable From(Variable variable) => Wrappers.GetValue(variable, v => new RefVariable(v));

    /// <summary>"scope/name:0", as TF prints a variable's name.</summary>
    public string Name => Variable.Ref.Name;

    public string name => Name;

    public Operation Op => Operation.From(Variable.Op);

    public Operation op => Op;

    public Operation Initializer => Operation.From(Variable.Initializer);

    public Operation initializer => Initializer;

    public Graph Graph => Graph.From(Variable.Graph);

    public Graph graph => Graph;

    public TF_DataType dtype => Variable.DType.ToFacade();

    public Shape shape => Shape.FromEngine(Variable.Shape);

    public bool trainable => Variable.Trainable;

    public Tensor initial_value => Tensor.From(Variable.InitialValue);

    public Tensor AsTensor() => Tensor.From(Variable.Value);

    public Tensor value() => AsTensor();

    /// <summary>tf.assign(self, value): an Assign op writing <paramref name="value"/>.</summary>
    public Tensor assign(object value, bool use_locking = false, string name = "Assign") =>
        Tensor.From(AssignOp.Create(Variable.Ref, ops.convert_to_tensor(value, dtype).Value, validateShape: true, name: name));

    /// <summary>Reads the variable's value in <paramref name="session"/>.</summary>
    public NDArray eval(Session session) => session.run(AsTensor());

    public static implicit operator Tensor(RefVariable variable) => variable.AsTensor();

    /// <summary>Lets engine-level code (saving, the runtime's tests) take the engine's variable.</summary>
    public static implicit operator Variable(RefVariable variable) => variable.Variable;

    public static Tensor operator +(RefVariable x, Tensor y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(RefVariable x, float y) => ops.binary("Add", "add", x, y);
    public static Tensor operator -(RefVariable x, Tensor y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(RefVariable x, float y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator *(RefVariable x, Tensor y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(RefVariable x, float y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(float x, RefVariable y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator /(RefVariable x, Tensor y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(RefVariable x, float y) => ops.binary("RealDiv", "truediv", x, y);

    public override string ToString() => Variable.ToString();
}
