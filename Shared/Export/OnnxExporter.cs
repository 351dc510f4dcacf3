using Google.Protobuf;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.IO;
using TfMnist.Proto.Onnx;
using TfMnist.Runtime;

namespace TfMnist.Export;

/// <summary>
/// The inference path of a restored graph, from its input placeholder to its output tensor, as an ONNX
/// model: fed scalars and variables folded (the weights become initializers, a fed keep_prob of 1 makes
/// the dropout subgraph disappear), every other op mapped by <see cref="OnnxOpTable"/> to standard
/// operators at the lowest opset that has them. The input and output keep their TF tensor names and a
/// batch dimension unknown in TF stays symbolic ("batch").
/// </summary>
public static class OnnxExporter
{
    /// <summary>The dimension name of an input's or output's unknown leading dimension.</summary>
    public const string BatchDimension = "batch";

    /// <param name="session">Holds the variables' values (restored or initialized); runs the folding of constant ops.</param>
    /// <param name="input">The placeholder the ONNX model takes as its input.</param>
    /// <param name="output">The tensor the ONNX model computes.</param>
    /// <param name="feeds">Scalars fed on every run (keep_prob 1, training flags): folded into the model.</param>
    /// <exception cref="OnnxExportException">One line naming the node and op type that cannot be exported.</exception>
    public static ModelProto Export(Session session, Tensor input, Tensor output, IReadOnlyList<FeedItem> feeds, string producerVersion = "1.0")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(feeds);
        if (input.Op.Type != "Placeholder")
            throw OnnxExportException.AtNode(input.Op, $"the input '{input.Name}' must be a Placeholder");
        if (output == input)
            throw OnnxExportException.AtNode(output.Op, "the output is the input itself; name a tensor computed from it");

        var fed = feeds.ToDictionary(f => f.Tensor, f => f.Value);
        var values = new Dictionary<Tensor, ExportValue> { [input] = new ExportValue.Runtime(input.Name, input.DType) };
        var builder = new OnnxGraphBuilder();
        builder.UniqueValueName(input.Name);
        var initializers = new Dictionary<(Tensor, DType), string>();
        foreach (var op in InferencePath(output, values.Keys.Concat(fed.Keys).ToHashSet()))
        {
            var inputs = op.Inputs.Select(t => values.TryGetValue(t, out var v) ? v : new ExportValue.Folded(fed[t])).ToArray();
            var value = Evaluate(session, op, inputs, builder, initializers);
            values[op.Outputs[0]] = value;
        }
        var result = values.TryGetValue(output, out var r) ? r : new ExportValue.Folded(fed[output]);
        if (result is not ExportValue.Runtime computed)
            throw OnnxExportException.AtNode(output.Op, $"the output '{output.Name}' does not depend on the input '{input.Name}'");
        // An output that folded to an alias (x · 1) still carries its own TF name.
        string outputName = computed.Name == output.Name ? computed.Name : builder.Node("Identity", output.Op.Name, 1, [computed.Name], output.Name);
        return builder.Build(
            ValueInfo(input.Name, input),
            ValueInfo(outputName, output),
            graphName: output.Op.Name,
            producerVersion);
    }

    /// <summary>Writes the model through a temporary file and a rename, so a failed write leaves no partial file.</summary>
    public static void WriteFile(string path, ModelProto model) => AtomicFile.WriteAllBytes(path, model.ToByteArray());

    /// <summary>The ops the output needs, inputs first, stopping at the input and the fed tensors. Control inputs
    /// only order side effects, which an inference graph has none of, so they are not followed.</summary>
    private static List<Operation> InferencePath(Tensor output, HashSet<Tensor> known)
    {
        var order = new List<Operation>();
        var visited = new HashSet<Operation>();
        var stack = new Stack<(Operation Op, bool Expanded)>();
        if (!known.Contains(output)) stack.Push((output.Op, false));
        while (stack.Count > 0)
        {
            var (op, expanded) = stack.Pop();
            if (expanded)
            {
                order.Add(op);
                continue;
            }
            if (!visited.Add(op)) continue;
            stack.Push((op, true));
            foreach (var t in op.Inputs.Reverse())
                if (!known.Contains(t) && !visited.Contains(t.Op)) stack.Push((t.Op, false));
        }
        return order;
    }

    private static ExportValue Evaluate(Session session, Operation op, ExportValue[] inputs, OnnxGraphBuilder builder, Dictionary<(Tensor, DType), string> initializers)
    {
        if (op.Outputs.Count != 1)
            throw OnnxExportException.AtNode(op, $"ops with {op.Outputs.Count} outputs have no mapping");
        if (op.Type is "Placeholder" or "PlaceholderWithDefault")
            throw OnnxExportException.AtNode(op, "a placeholder that is neither the input nor fed (feed it with --feed NAME=VALUE)");
        if (op.Definition is { IsVariable: true })
            return new ExportValue.Folded(session.GetVariable(op)
                ?? throw OnnxExportException.AtNode(op, "the variable has no value (restore or initialize it first)"));
        if (inputs.All(v => v is ExportValue.Folded))
        {
            // Reads of a variable, constants and whatever is computed from them alone: run by our own session, fed
            // the inputs' values so that nothing before them (or stateful) runs again.
            if (op.Type is "Identity" or "StopGradient") return inputs[0];
            if (op.Definition is { IsStateful: false })
                return new ExportValue.Folded(Fold(session, op, inputs));
        }
        if (!OnnxOpTable.TryGet(op.Type, out var mapping))
            throw OnnxExportException.AtNode(op, "no ONNX mapping for this op type");
        return mapping(new OpExport(op, inputs, builder, initializers));
    }

    private static NDArray Fold(Session session, Operation op, ExportValue[] inputs)
    {
        var feeds = op.Inputs.Select((t, i) => new FeedItem(t, ((ExportValue.Folded)inputs[i]).Value)).ToArray();
        try
        {
            return session.Run(op.Outputs[0], feeds) ?? throw new InvalidOperationException("no value");
        }
        catch (Exception e) when (e is not OnnxExportException)
        {
            throw OnnxExportException.AtNode(op, $"folding it failed: {e.Message.Split('\n')[0]}");
        }
    }

    private static ValueInfoProto ValueInfo(string name, Tensor tensor) => new()
    {
        Name = name,
        Type = OnnxFormat.TensorType(tensor.DType, tensor.Shape, axis => axis == 0 ? BatchDimension : $"{tensor.Op.Name}_dim{axis}"),
    };
}
