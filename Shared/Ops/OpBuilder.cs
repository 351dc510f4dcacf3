using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Proto;

namespace TfMnist.Ops;

/// <summary>
/// How op files create nodes, the way TF's generated wrappers do: open a name scope named
/// after the op (so helper constants become "Reshape/shape"), then name the op after the scope.
/// </summary>
public static class OpBuilder
{
    /// <summary>The graph of the first input, else the current default graph.</summary>
    public static Graph GraphOf(params Tensor?[] inputs)
    {
        foreach (var t in inputs)
            if (t is not null) return t.Graph;
        return Graph.Current;
    }

    /// <summary>Creates the op directly named <paramref name="name"/> (uniquified in the current scope).</summary>
    public static Operation Create(Graph graph, string type, string name, IReadOnlyList<Tensor> inputs,
        params (string Name, AttrValue Value)[] attrs) =>
        graph.CreateOperation(type, name, inputs, attrs.Select(a => KeyValuePair.Create(a.Name, a.Value)));

    public static Operation Create(Graph graph, string type, string name, IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Operation> controlInputs, params (string Name, AttrValue Value)[] attrs) =>
        graph.CreateOperation(type, name, inputs, attrs.Select(a => KeyValuePair.Create(a.Name, a.Value)), controlInputs);

    /// <summary>The colocation attr TF adds to ops placed with a variable: _class = ["loc:@var"].</summary>
    public static (string, AttrValue) ColocateWith(Operation op) =>
        ("_class", Attr.StringList(new[] { "loc:@" + op.Name }));

    public static (string, AttrValue) T(DType dtype) => ("T", Attr.Type(dtype));
}
