using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>
/// Dtypes and shapes of a GraphDef's tensors, from the engine's own import (its shape rules);
/// when the import fails (an op it cannot place) they come from the nodes' attrs alone
/// (<c>dtype</c>/<c>T</c>, <c>shape</c>, <c>_output_shapes</c>), and what neither gives stays unknown.
/// </summary>
internal sealed class GraphTensors
{
    private readonly Dictionary<string, NodeDef> _nodes;
    private readonly Graph? _imported;

    public GraphTensors(GraphDef graphDef, Dictionary<string, NodeDef> nodes, string source)
    {
        _nodes = nodes;
        try
        {
            var graph = new Graph();
            GraphDefImporter.Import(graph, graphDef, source);
            _imported = graph;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or ArgumentException or KeyNotFoundException or NotSupportedException)
        {
            _imported = null;
        }
    }

    public TensorInfo Describe(string op, int index = 0)
    {
        var node = _nodes[op];
        if (_imported is not null && _imported.TryGetOperation(op, out var imported) && index < imported.Outputs.Count)
        {
            var t = imported.Outputs[index];
            var shape = t.Shape.IsKnownRank ? t.Shape.Dims.Select(d => (long)d).ToList() : null;
            string? dtype = t.DType == DType.Invalid ? AttrDtype(node) : t.DType.TfName();
            return new TensorInfo($"{op}:{index}", node.Op, dtype, shape ?? AttrShape(node, index));
        }
        return new TensorInfo($"{op}:{index}", node.Op, AttrDtype(node), AttrShape(node, index));
    }

    private static string? AttrDtype(NodeDef node)
    {
        foreach (string key in new[] { "dtype", "T", "out_type", "DstT" })
            if (node.Attr.TryGetValue(key, out var v) && v.ValueCase == AttrValue.ValueOneofCase.Type)
                return DtypeNames.Python(v.Type);
        return null;
    }

    private static List<long>? AttrShape(NodeDef node, int index)
    {
        TensorShapeProto? shape = null;
        if (node.Attr.TryGetValue("_output_shapes", out var outputs) && outputs.List is { } list && index < list.Shape.Count)
            shape = list.Shape[index];
        else if (index == 0 && node.Attr.TryGetValue("shape", out var s) && s.ValueCase == AttrValue.ValueOneofCase.Shape)
            shape = s.Shape;
        if (shape is null || shape.UnknownRank) return null;
        return shape.Dim.Select(d => d.Size).ToList();
    }
}
