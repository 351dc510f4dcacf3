using TfMnist.Core;
using TfMnist.Proto.Onnx;

namespace TfMnist.Export;

/// <summary>
/// Collects the ONNX nodes and initializers of one export, keeps value and node names unique, and
/// assembles the model: only what the output needs (so the dropout's leftovers and folded-away
/// branches drop out), at the highest opset a kept node needs.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<(NodeProto Node, int SinceOpset)> _nodes = new();
    private readonly List<TensorProto> _initializers = new();
    private readonly HashSet<string> _valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    /// <summary>Reserves a value name: <paramref name="preferred"/>, or it with a numbered suffix when taken.</summary>
    public string UniqueValueName(string preferred) => Unique(_valueNames, preferred);

    /// <summary>Adds a weight or constant as an initializer; returns its ONNX name.</summary>
    public string Initializer(string preferredName, NDArray value)
    {
        string name = UniqueValueName(preferredName);
        _initializers.Add(OnnxFormat.Tensor(name, value));
        return name;
    }

    /// <summary>Adds one node of the default domain, which exists in that form from <paramref name="sinceOpset"/> on.</summary>
    /// <returns>The node's output name (<paramref name="output"/>, made unique).</returns>
    public string Node(string opType, string nodeName, int sinceOpset, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(_nodeNames, nodeName) };
        node.Input.AddRange(inputs);
        string name = UniqueValueName(output);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        _nodes.Add((node, sinceOpset));
        return name;
    }

    /// <summary>The model computing <paramref name="output"/> from <paramref name="input"/>.</summary>
    public ModelProto Build(ValueInfoProto input, ValueInfoProto output, string graphName, string producerVersion)
    {
        // Walk back from the output: a node is kept when a kept value needs one of its outputs.
        var needed = new HashSet<string>(StringComparer.Ordinal) { output.Name };
        var kept = new List<(NodeProto Node, int SinceOpset)>();
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            var (node, since) = _nodes[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add((node, since));
            foreach (string name in node.Input) needed.Add(name);
        }
        kept.Reverse();
        int opset = Math.Max(OnnxFormat.MinOpset, kept.Count == 0 ? 0 : kept.Max(k => k.SinceOpset));
        if (opset > OnnxFormat.MaxOpset)
            throw new OnnxExportException($"the graph needs ONNX opset {opset}, above the {OnnxFormat.MaxOpset} an export may use");

        var graph = new GraphProto { Name = graphName };
        graph.Node.AddRange(kept.Select(k => k.Node));
        graph.Initializer.AddRange(_initializers.Where(t => needed.Contains(t.Name)));
        graph.Input.Add(input);
        graph.Output.Add(output);
        var model = new ModelProto
        {
            IrVersion = OnnxFormat.IrVersionFor(opset),
            ProducerName = "TfMnist",
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static string Unique(HashSet<string> taken, string preferred)
    {
        if (taken.Add(preferred)) return preferred;
        for (int i = 1; ; i++)
            if (taken.Add($"{preferred}_{i}")) return $"{preferred}_{i}";
    }
}
