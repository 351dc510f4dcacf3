using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>TF's control_flow_ops.group / tuple / with_dependencies, with the same node names.</summary>
public static class ControlFlow
{
    /// <summary>A NoOp that runs after all <paramref name="ops"/> ("group_deps" by default).</summary>
    public static Operation Group(IReadOnlyList<Operation> ops, string? name = null)
    {
        var graph = ops.Count > 0 ? ops[0].Graph : Graph.Current;
        using var scope = graph.NameScope(name ?? "group_deps");
        return NoOpOp.Create(graph, scope.ScopeName, ops);
    }

    /// <summary>
    /// Gates tensors so none is available before all are computed: "tuple/group_deps" plus one
    /// "tuple/control_dependency[_i]" Identity per tensor.
    /// </summary>
    public static Tensor?[] Tuple(IReadOnlyList<Tensor?> tensors, string name = "tuple")
    {
        var present = tensors.Where(t => t is not null).Select(t => t!).ToList();
        if (present.Count == 0) throw new ArgumentException("tuple needs at least one tensor.");
        var graph = present[0].Graph;
        using var scope = graph.NameScope(name);
        var gatingOps = present.Select(t => t.Op).Distinct().OrderBy(op => op.Id).ToList();
        var gate = Group(gatingOps);
        return tensors.Select(t => t is null ? null : WithDependencies([gate], t)).ToArray();
    }

    /// <summary>An Identity of <paramref name="output"/> that runs after <paramref name="dependencies"/>.</summary>
    public static Tensor WithDependencies(IReadOnlyList<Operation> dependencies, Tensor output, string name = "control_dependency")
    {
        using var scope = output.Graph.NameScope(name);
        return IdentityOp.Create(output, scope.ScopeName, dependencies, colocateWith: output.Op);
    }
}
