using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Framework;

/// <summary>
/// Rebuilds operations from a GraphDef, keeping every name exactly (even "Add" beside "add",
/// as old graphs have). Nodes may come in any order. An op type this engine does not implement
/// still imports — with outputs inferred from how other nodes consume it — and only running it fails.
/// </summary>
public static class GraphDefImporter
{
    public static void Import(Graph graph, GraphDef graphDef, string source = "GraphDef")
    {
        var nodes = graphDef.Node.ToDictionary(n => n.Name, StringComparer.Ordinal);
        if (nodes.Count != graphDef.Node.Count)
            throw new InvalidDataException($"{source}: duplicate node names.");

        // How many outputs each node must have, judging by its consumers (for unknown op types).
        var referencedOutputs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node)
            foreach (var input in node.Input)
            {
                var (name, index, isControl) = ParseInput(input);
                if (isControl) continue;
                referencedOutputs[name] = Math.Max(referencedOutputs.GetValueOrDefault(name), index + 1);
            }

        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        // Ops whose outputs are guessed, not inferred: unknown op types and what imported like them.
        var guessed = new HashSet<Operation>();
        // Ops without a kernel here (Switch, Merge, Enter, NextIteration, ...) are created before
        // their inputs and wired afterwards: that is how while-loop back edges import.
        var deferred = new List<(Operation Op, NodeDef Node)>();
        foreach (var node in graphDef.Node) ImportNode(node.Name);
        foreach (var (op, node) in deferred)
        {
            var (inputs, controls) = ResolveInputs(graph, node, source);
            graph.WireInputs(op, inputs, controls);
        }
        if (graphDef.Versions is { } versions) graph.Producer = versions.Producer;

        void ImportNode(string rootName)
        {
            var stack = new Stack<string>();
            stack.Push(rootName);
            while (stack.Count > 0)
            {
                string name = stack.Peek();
                if (state.GetValueOrDefault(name) == 2) { stack.Pop(); continue; }
                if (!nodes.TryGetValue(name, out var node))
                    throw new InvalidDataException($"{source}: a node refers to input '{name}', which is not in the graph.");
                state[name] = 1;
                if (OpCatalog.Lookup(node.Op) is null)
                {
                    stack.Pop();
                    var op = graph.AddOperation(node.Name, node.Op, null, Array.Empty<Tensor>(), node.Attr, null, node.Device, addContextControls: false);
                    op.SetOutputs(Graph.MakeOutputs(op, InferOutputs(op, null, referencedOutputs.GetValueOrDefault(name), source, guessed)));
                    deferred.Add((op, node));
                    state[name] = 2;
                    continue;
                }
                bool waiting = false;
                foreach (var input in node.Input)
                {
                    var (dep, _, _) = ParseInput(input);
                    int s = state.GetValueOrDefault(dep);
                    if (s == 2) continue;
                    if (s == 1)
                    {
                        // TF graphs with loops (NextIteration -> Merge) are not supported.
                        throw new InvalidDataException($"{source}: node '{name}' is part of a cycle through '{dep}'.");
                    }
                    stack.Push(dep);
                    waiting = true;
                    break;
                }
                if (waiting) continue;
                stack.Pop();
                Create(graph, node, referencedOutputs.GetValueOrDefault(name), source, guessed);
                state[name] = 2;
            }
        }
    }

    private static (List<Tensor> Inputs, List<Operation> Controls) ResolveInputs(Graph graph, NodeDef node, string source)
    {
        var inputs = new List<Tensor>();
        var controls = new List<Operation>();
        foreach (var input in node.Input)
        {
            var (name, index, isControl) = ParseInput(input);
            var producer = graph.GetOperationByName(name);
            if (isControl) { controls.Add(producer); continue; }
            if (index >= producer.Outputs.Count)
                throw new InvalidDataException($"{source}: node '{node.Name}' reads output {index} of '{name}', which has {producer.Outputs.Count}.");
            inputs.Add(producer.Outputs[index]);
        }
        return (inputs, controls);
    }

    private static void Create(Graph graph, NodeDef node, int referencedOutputs, string source, HashSet<Operation> guessed)
    {
        var (inputs, controls) = ResolveInputs(graph, node, source);
        var definition = OpCatalog.Lookup(node.Op);
        var op = graph.AddOperation(node.Name, node.Op, definition, inputs, node.Attr, controls, node.Device, addContextControls: false);
        op.SetOutputs(Graph.MakeOutputs(op, InferOutputs(op, definition, referencedOutputs, source, guessed)));
    }

    private static IReadOnlyList<OutputSpec> InferOutputs(Operation op, OpDefinition? definition, int referencedOutputs, string source,
        HashSet<Operation> guessed)
    {
        bool inputsKnown = op.Inputs.All(t => t.DType != DType.Invalid);
        if (definition is not null && inputsKnown)
        {
            try
            {
                return definition.InferOutputs(op);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                // An unknown op's outputs are guesses (see below): a consumer that rejects them imports
                // like an unknown op; running it fails at the unknown op, which the run's error names.
                if (!op.Inputs.Any(t => guessed.Contains(t.Op)))
                    throw new InvalidDataException($"{source}: cannot import node '{op.Name}' ({op.Type}): {e.Message}", e);
            }
        }
        // Unknown op (or fed by one): a dtype from the usual attrs, shapes unknown. "dtype" before "T":
        // ops with both (the random ops) output dtype and take T as an input's type.
        guessed.Add(op);
        var dtype = op.Attrs.Contains("dtype") ? op.Attrs.GetType("dtype")
            : op.Attrs.Contains("T") ? op.Attrs.GetType("T")
            : op.Attrs.Contains("out_type") ? op.Attrs.GetType("out_type")
            : op.Attrs.Contains("DstT") ? op.Attrs.GetType("DstT") : DType.Invalid;
        // An unknown op nothing consumes still gets output 0: fetching "name:0" then reaches the run, whose
        // error names the op and its type, instead of claiming the tensor does not exist.
        int count = Math.Max(referencedOutputs, 1);
        return Enumerable.Range(0, count).Select(_ => new OutputSpec(dtype, Shape.Unknown)).ToArray();
    }

    /// <summary>"name" = output 0, "name:2" = output 2, "^name" = control input.</summary>
    public static (string Name, int Index, bool IsControl) ParseInput(string input)
    {
        if (input.StartsWith('^')) return (input[1..], -1, true);
        int colon = input.LastIndexOf(':');
        if (colon > 0 && int.TryParse(input.AsSpan(colon + 1), out int index)) return (input[..colon], index, false);
        return (input, 0, false);
    }
}
