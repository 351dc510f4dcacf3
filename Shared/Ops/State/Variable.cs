using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF 1.x's tf.Variable(initial_value, name="Variable", trainable=True): under a uniquified name
/// scope "Variable", a VariableV2 named by the scope itself, "&lt;scope&gt;/Assign" (the
/// initializer, colocated with the variable) and "&lt;scope&gt;/read" (an Identity colocated with
/// the variable, the value other ops consume). It joins the "variables" collection and, when
/// trainable, "trainable_variables".
/// </summary>
public sealed class Variable : IVariableDefSource
{
    /// <summary>TF's GraphKeys.GLOBAL_VARIABLES.</summary>
    public const string GlobalVariablesKey = "variables";

    /// <summary>TF's GraphKeys.TRAINABLE_VARIABLES.</summary>
    public const string TrainableVariablesKey = "trainable_variables";

    /// <summary>From a tensor (e.g. a random_normal), which TF takes as it is.</summary>
    public Variable(Tensor initialValue, string name = "Variable", bool trainable = true, bool validateShape = true)
        : this(initialValue.Graph, _ => initialValue, name, trainable, validateShape, fromInitializer: false) { }

    /// <summary>From a host value, stored as the constant "&lt;scope&gt;/initial_value" as TF does.</summary>
    public Variable(NDArray initialValue, string name = "Variable", bool trainable = true, bool validateShape = true)
        : this(Graph.Current, g => ConstOp.Create(initialValue, "initial_value", g), name, trainable, validateShape, fromInitializer: false) { }

    private Variable(Graph graph, Func<Graph, Tensor> initialValue, string name, bool trainable, bool validateShape, bool fromInitializer)
    {
        Graph = graph;
        Trainable = trainable;
        using (graph.AsDefault())
        using (var scope = graph.NameScope(name))
        {
            if (fromInitializer)
            {
                // TF's Variable with a callable initial value: the value is built in "<name>/Initializer/" and it and
                // the VariableV2 are placed with the variable (an attr scope of _class = loc:@<name>).
                using var colocation = graph.DefaultColocation(scope.Name);
                using (graph.NameScope("Initializer")) InitialValue = initialValue(graph);
                Ref = VariableV2Op.Create(validateShape ? InitialValue.Shape : Shape.Unknown, InitialValue.DType, scope.ScopeName);
            }
            else
            {
                InitialValue = initialValue(graph);
                Ref = VariableV2Op.Create(validateShape ? InitialValue.Shape : Shape.Unknown, InitialValue.DType, scope.ScopeName);
            }
            Initializer = AssignOp.Create(Ref, InitialValue, validateShape).Op;
            Value = IdentityOp.Create(Ref, "read", colocateWith: Ref.Op);
        }
        graph.AddToCollection(GlobalVariablesKey, this);
        if (trainable) graph.AddToCollection(TrainableVariablesKey, this);
    }

    /// <summary>
    /// The variable tf.get_variable creates: named exactly <paramref name="fullName"/> (the variable scope's name,
    /// whatever the name scope), its initial value from <paramref name="initialValue"/> built under
    /// "&lt;fullName&gt;/Initializer/" when <paramref name="fromInitializer"/> (an initializer function), else taken as given.
    /// </summary>
    public static Variable Create(Graph graph, string fullName, Func<Graph, Tensor> initialValue, bool fromInitializer,
        bool trainable = true, bool validateShape = true)
    {
        using var root = graph.NameScope(null);
        return new Variable(graph, initialValue, fullName + "/", trainable, validateShape, fromInitializer);
    }

    /// <summary>A variable over already-imported ops (import_meta_graph), from its VariableDef.</summary>
    private Variable(Graph graph, Tensor @ref, Tensor value, Operation initializer, Tensor? initialValue, bool trainable)
    {
        Graph = graph;
        Ref = @ref;
        Value = value;
        Initializer = initializer;
        InitialValue = initialValue ?? value;
        Trainable = trainable;
    }

    /// <summary>
    /// The variable a VariableDef describes in <paramref name="graph"/>; the same object for
    /// every collection that lists it, so "variables" and "trainable_variables" agree.
    /// </summary>
    /// <param name="listedAsTrainable">It comes from "trainable_variables": VariableDefs before TF 1.4 have no
    /// trainable field, so membership of that collection is what says so.</param>
    public static Variable FromVariableDef(Graph graph, Proto.VariableDef def, string source, bool listedAsTrainable = false)
    {
        try
        {
            var @ref = graph.GetTensorByName(def.VariableName);
            foreach (var existing in graph.GetCollection<Variable>(GlobalVariablesKey).Concat(graph.GetCollection<Variable>(TrainableVariablesKey)))
                if (existing.Ref == @ref) return existing;
            var initialValue = string.IsNullOrEmpty(def.InitialValueName) ? null : graph.GetTensorByName(def.InitialValueName);
            return new Variable(graph, @ref, graph.GetTensorByName(def.SnapshotName),
                graph.GetOperationByName(def.InitializerName), initialValue, def.Trainable || listedAsTrainable);
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"{source}: variable '{def.VariableName}' refers to a node that is not in the graph: {e.Message}", e);
        }
    }

    public Proto.VariableDef ToVariableDef() => new()
    {
        VariableName = Ref.Name,
        InitialValueName = InitialValue.Name,
        InitializerName = Initializer.Name,
        SnapshotName = Value.Name,
        IsResource = false,
        Trainable = Trainable,
    };

    public Graph Graph { get; }
    public bool Trainable { get; }

    /// <summary>The VariableV2 op.</summary>
    public Operation Op => Ref.Op;

    /// <summary>The variable's name, e.g. "Variable" or "Variable_1".</summary>
    public string Name => Op.Name;

    /// <summary>The reference output of the VariableV2 ("Variable:0"): what Assign and optimizers write through.</summary>
    public Tensor Ref { get; }

    /// <summary>The "&lt;scope&gt;/read" snapshot: the value other ops use.</summary>
    public Tensor Value { get; }

    /// <summary>The "&lt;scope&gt;/Assign" op that sets the initial value.</summary>
    public Operation Initializer { get; }

    public Tensor InitialValue { get; }

    public DType DType => Ref.DType;
    public Shape Shape => Ref.Shape;

    /// <summary>Every variable of the graph, in creation order (tf.global_variables).</summary>
    public static IReadOnlyList<Variable> GlobalVariables(Graph? graph = null) =>
        (graph ?? Graph.Current).GetCollection<Variable>(GlobalVariablesKey);

    /// <summary>The trainable variables of the graph (tf.trainable_variables).</summary>
    public static IReadOnlyList<Variable> TrainableVariables(Graph? graph = null) =>
        (graph ?? Graph.Current).GetCollection<Variable>(TrainableVariablesKey);

    /// <summary>tf.global_variables_initializer(): a NoOp "init" with a control input on every initializer.</summary>
    public static Operation GlobalVariablesInitializer(Graph? graph = null)
    {
        var g = graph ?? Graph.Current;
        var initializers = GlobalVariables(g).Select(v => v.Initializer).ToList();
        using var scope = g.NameScope("init");
        return NoOpOp.Create(g, scope.ScopeName, initializers);
    }

    /// <summary>Using a variable as a tensor uses its read value, as in TF.</summary>
    public static implicit operator Tensor(Variable variable) => variable.Value;

    public override string ToString() => $"<tf.Variable '{Name}:0' shape={Shape} dtype={DType.TfName()}_ref>";
}
