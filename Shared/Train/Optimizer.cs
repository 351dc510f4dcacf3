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

    public Operation Minimize(Tensor loss, IReadOnlyList<Variable>? varList = null, string? name = null) =>
        ApplyGradients(ComputeGradients(loss, varList), name);

    public IReadOnlyList<(Tensor? Gradient, Variable Variable)> ComputeGradients(Tensor loss, IReadOnlyList<Variable>? varList = null)
    {
        var variables = varList ?? loss.Graph.GetCollection<Variable>(GraphKeys.TrainableVariables);
        if (variables.Count == 0) throw new ArgumentException("No variables to optimize.");
        // GATE_OP, TF's default for optimizers: each op's input gradients are tupled.
        var grads = GradientsBuilder.Build([loss], variables.Select(v => v.Ref).ToList(), gateGradients: true);
        return variables.Select((v, i) => (grads[i], v)).ToList();
    }

    public Operation ApplyGradients(IReadOnlyList<(Tensor? Gradient, Variable Variable)> gradsAndVars, string? name = null)
    {
        var pairs = gradsAndVars.Where(p => p.Gradient is not null).ToList();
        if (pairs.Count == 0)
            throw new ArgumentException(
                $"No gradients provided for any variable: {string.Join(", ", gradsAndVars.Select(p => p.Variable.Op.Name))}");
        var graph = pairs[0].Variable.Op.Graph;
        using var scope = graph.NameScope(name ?? Name);
        Prepare(graph);
        var updates = new List<Operation>();
        foreach (var (gradient, variable) in pairs)
        {
            using (graph.NameScope("update_" + variable.Op.Name))
                updates.Add(ApplyDense(gradient!, variable));
        }
        var applyUpdates = ControlFlow.Group(updates, scope.ScopeName);
        if (!graph.GetCollection<Operation>(GraphKeys.TrainOp).Contains(applyUpdates))
            graph.AddToCollection(GraphKeys.TrainOp, applyUpdates);
        return applyUpdates;
    }

    /// <summary>Creates the optimizer's hyperparameter tensors inside its scope.</summary>
    protected abstract void Prepare(Graph graph);

    protected abstract Operation ApplyDense(Tensor gradient, Variable variable);
}
