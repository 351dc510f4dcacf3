using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;

namespace TfMnist.Train;

/// <summary>
/// TF 1.x's Optimizer: minimize = compute_gradients (tf.gradients with per-op gating) +
/// apply_gradients (one update op per variable under "&lt;name&gt;/update_&lt;var&gt;/", grouped
/// into a NoOp named after the optimizer's scope and added to the train_op collection).
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(string name) => Name = name;

    public string Name { get; }

    /// <summary>
    /// compute_gradients then apply_gradients. With <paramref name="globalStep"/> the returned op is TF's
    /// AssignAdd(global_step, 1) named after the optimizer's scope, run after the updates (grouped as "&lt;name&gt;/update").
    /// </summary>
    public Operation Minimize(Tensor loss, IReadOnlyList<Variable>? varList = null, string? name = null, Variable? globalStep = null) =>
        ApplyGradients(ComputeGradients(loss, varList), name, globalStep);

    public IReadOnlyList<(Tensor? Gradient, Variable Variable)> ComputeGradients(Tensor loss, IReadOnlyList<Variable>? varList = null)
    {
        var variables = varList ?? loss.Graph.GetCollection<Variable>(GraphKeys.TrainableVariables);
        if (variables.Count == 0) throw new ArgumentException("No variables to optimize.");
        // GATE_OP, TF's default for optimizers: each op's input gradients are tupled.
        var grads = GradientsBuilder.Build([loss], variables.Select(v => v.Ref).ToList(), gateGradients: true);
        return variables.Select((v, i) => (grads[i], v)).ToList();
    }

    /// <summary>
    /// TF 1.x's apply_gradients: the optimizer's slots (before its scope), then in the scope "&lt;name&gt;" its
    /// hyperparameters, one update per variable under "update_&lt;var&gt;", and <see cref="Finish"/>. With
    /// <paramref name="globalStep"/>: Finish is named "update" and the result is AssignAdd(global_step, 1) named
    /// "&lt;name&gt;" under its control (its constant "&lt;name&gt;/value" carries the control input), colocated with the step.
    /// </summary>
    public Operation ApplyGradients(IReadOnlyList<(Tensor? Gradient, Variable Variable)> gradsAndVars, string? name = null,
        Variable? globalStep = null)
    {
        var pairs = gradsAndVars.Where(p => p.Gradient is not null).ToList();
        if (pairs.Count == 0)
            throw new ArgumentException(
                $"No gradients provided for any variable: {string.Join(", ", gradsAndVars.Select(p => p.Variable.Op.Name))}");
        var graph = pairs[0].Variable.Op.Graph;
        // TF creates the slots under init_scope: outside any control_dependencies block the caller opened.
        using (graph.ClearControlDependencies())
            CreateSlots(graph, pairs.Select(p => p.Variable).ToList());
        using var scope = graph.NameScope(name ?? Name);
        Prepare(graph);
        var updates = new List<Operation>();
        foreach (var (gradient, variable) in pairs)
        {
            using (graph.NameScope("update_" + variable.Op.Name))
                updates.Add(ApplyDense(gradient!, variable));
        }
        var applyUpdates = globalStep is null ? Finish(updates, scope.ScopeName) : StepAfter(Finish(updates, "update"), globalStep, scope.ScopeName);
        if (!graph.GetCollection<Operation>(GraphKeys.TrainOp).Contains(applyUpdates))
            graph.AddToCollection(GraphKeys.TrainOp, applyUpdates);
        return applyUpdates;
    }

    private static Operation StepAfter(Operation update, Variable globalStep, string name)
    {
        var graph = update.Graph;
        using var colocation = graph.ColocateWith(globalStep.Op);
        Tensor one;
        using (graph.ControlDependencies([update]))
            one = ConstOp.Create(NDArray.ScalarOf(1, globalStep.DType), "value", graph);
        return AssignAddOp.Create(globalStep.Ref, one, name: name).Op;
    }

    /// <summary>Creates the optimizer's variables (slots, accumulators) before its name scope opens: TF's _create_slots.</summary>
    protected virtual void CreateSlots(Graph graph, IReadOnlyList<Variable> variables) { }

    /// <summary>TF's _finish: groups the updates into the op named <paramref name="name"/> (a scope name ending in "/").</summary>
    protected virtual Operation Finish(IReadOnlyList<Operation> updates, string name) => ControlFlow.Group(updates, name);

    /// <summary>Creates the optimizer's hyperparameter tensors inside its scope.</summary>
    protected abstract void Prepare(Graph graph);

    protected abstract Operation ApplyDense(Tensor gradient, Variable variable);
}
