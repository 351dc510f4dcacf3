using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Train;

/// <summary>
/// TF 1.x's tf.train.AdamOptimizer, building TF's graph: the accumulators "beta1_power" and "beta2_power" (created
/// once per graph in the current name scope, colocated with the variable of the smallest name, starting at beta1
/// and beta2); per variable the zero-initialized, non-trainable slots "&lt;var&gt;/Adam" (m) and "&lt;var&gt;/Adam_1" (v)
/// (variable scopes from slot_creator, "&lt;slot&gt;/Initializer/zeros", colocated with the variable); in the scope
/// "Adam" the constants "learning_rate", "beta1", "beta2", "epsilon", one "update_&lt;var&gt;/ApplyAdam" each, then
/// "mul" + "Assign" and "mul_1" + "Assign_1" advancing the accumulators after the updates, grouped as "Adam".
/// </summary>
public sealed class AdamOptimizer(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f,
    string name = "Adam") : Optimizer(name)
{
    private readonly Dictionary<Variable, (Variable M, Variable V)> _slots = new();
    private readonly Dictionary<Graph, (Variable Beta1Power, Variable Beta2Power)> _powers = new();
    private Tensor? _lr, _beta1, _beta2, _epsilon;
    private Graph? _graph;

    /// <summary>The step size (alpha).</summary>
    public float LearningRate { get; } = learningRate;
    /// <summary>The decay of the first-moment estimate.</summary>
    public float Beta1 { get; } = beta1;
    /// <summary>The decay of the second-moment estimate.</summary>
    public float Beta2 { get; } = beta2;
    /// <summary>The constant added to √v.</summary>
    public float Epsilon { get; } = epsilon;

    /// <summary>TF's get_slot(var, "m") ("&lt;var&gt;/Adam") or get_slot(var, "v") ("&lt;var&gt;/Adam_1"); null when absent.</summary>
    public Variable? GetSlot(Variable variable, string slotName) =>
        _slots.TryGetValue(variable, out var s) ? slotName switch { "m" => s.M, "v" => s.V, _ => null } : null;

    /// <summary>TF's get_slot_names(): "m" and "v".</summary>
    public IReadOnlyList<string> SlotNames => ["m", "v"];

    /// <summary>The accumulators beta1^t and beta2^t of <paramref name="graph"/> (TF's _get_beta_accumulators), once created.</summary>
    public (Variable Beta1Power, Variable Beta2Power)? BetaAccumulators(Graph graph) =>
        _powers.TryGetValue(graph, out var p) ? p : null;

    /// <inheritdoc/>
    protected override void CreateSlots(Graph graph, IReadOnlyList<Variable> variables)
    {
        _graph = graph;
        if (!_powers.ContainsKey(graph))
        {
            var first = variables.MinBy(v => v.Name, StringComparer.Ordinal)!;
            using var colocation = graph.ColocateWith(first.Op);
            using var _ = graph.AsDefault();
            var p1 = new Variable(NDArray.ScalarOf(Beta1, DType.Float), "beta1_power", trainable: false);
            var p2 = new Variable(NDArray.ScalarOf(Beta2, DType.Float), "beta2_power", trainable: false);
            _powers[graph] = (p1, p2);
        }
        foreach (var v in variables)
            if (!_slots.ContainsKey(v))
                _slots[v] = (ZerosSlot(graph, v), ZerosSlot(graph, v));
    }

    /// <summary>slot_creator.create_zeros_slot(var, "Adam"): variable_scope(None, default_name="&lt;var&gt;/Adam"), get_variable("").</summary>
    private Variable ZerosSlot(Graph graph, Variable primary)
    {
        if (!primary.Shape.IsFullyDefined)
            throw new NotSupportedException($"Adam slots for '{primary.Name}' need a fully defined shape, got {primary.Shape}.");
        using var scope = VariableScopes.EnterDefault(graph, primary.Op.Name + "/" + Name);
        using var colocation = graph.ColocateWith(primary.Op);
        return VariableScopes.GetVariable("", primary.Shape, primary.DType, new ZerosInitializer(), trainable: false, graph);
    }

    /// <inheritdoc/>
    protected override void Prepare(Graph graph)
    {
        _lr = ConstOp.Scalar(graph, LearningRate, DType.Float, "learning_rate");
        _beta1 = ConstOp.Scalar(graph, Beta1, DType.Float, "beta1");
        _beta2 = ConstOp.Scalar(graph, Beta2, DType.Float, "beta2");
        _epsilon = ConstOp.Scalar(graph, Epsilon, DType.Float, "epsilon");
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor gradient, Variable variable)
    {
        var (m, v) = _slots[variable];
        var (p1, p2) = _powers[_graph!];
        return ApplyAdamOp.Create(variable.Ref, m.Ref, v.Ref, p1.Value, p2.Value, _lr!, _beta1!, _beta2!, _epsilon!, gradient).Op;
    }

    /// <inheritdoc/>
    protected override Operation Finish(IReadOnlyList<Operation> updates, string name)
    {
        var graph = _graph!;
        var (p1, p2) = _powers[graph];
        Tensor mul1, mul2;
        Operation assign1, assign2;
        using (graph.ColocateWith(p1.Op))
        {
            using (graph.ControlDependencies(updates)) mul1 = p1.Value * _beta1!;
            assign1 = AssignOp.Create(p1.Ref, mul1, useLocking: false).Op;
            using (graph.ControlDependencies(updates)) mul2 = p2.Value * _beta2!;
            assign2 = AssignOp.Create(p2.Ref, mul2, useLocking: false).Op;
        }
        // TF serializes a node's control inputs sorted by name.
        var all = updates.Append(assign1).Append(assign2).OrderBy(op => op.Name, StringComparer.Ordinal).ToList();
        return ControlFlow.Group(all, name);
    }
}
