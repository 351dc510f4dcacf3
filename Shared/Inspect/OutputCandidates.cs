using TfMnist.Framework;
using TfMnist.Proto;

namespace TfMnist.Inspect;

/// <summary>
/// The tensors a user may fetch as a prediction: every Softmax output, the logits (first input) of
/// a Softmax or a softmax cross entropy, and the sinks (ops nothing reads) that compute something
/// from a placeholder; training, saving, summary and gradient machinery is left out.
/// </summary>
internal static partial class OutputCandidates
{
    private static readonly HashSet<string> SoftmaxReaders =
        ["Softmax", "SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits", "LogSoftmax"];

    public static IReadOnlyList<OutputCandidate> Find(GraphDef graphDef, Dictionary<string, NodeDef> nodes, GraphTensors tensors)
    {
        var reasons = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string tensor, string reason)
        {
            if (!reasons.TryGetValue(tensor, out var list))
            {
                reasons[tensor] = list = [];
                order.Add(tensor);
            }
            if (!list.Contains(reason)) list.Add(reason);
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node)
            foreach (string input in node.Input) read.Add(GraphInspector.InputOp(input));
        foreach (var node in graphDef.Node.Where(n => !IsMachinery(n)))
        {
            if (node.Op == "Softmax") Add(node.Name + ":0", "softmax");
            string op = node.Op.EndsWith("V2", StringComparison.Ordinal) ? node.Op[..^2] : node.Op;
            if (SoftmaxReaders.Contains(op) && node.Input.Count > 0 && Logits(node.Input[0], nodes) is { } logits)
                Add(logits, "logits");
        }
        foreach (var node in graphDef.Node.Where(n => !read.Contains(n.Name) && !IsMachinery(n) && !IsPlaceholder(n)))
            Add(node.Name + ":0", "sink");

        var candidates = new List<OutputCandidate>();
        foreach (string tensor in order.OrderBy(t => Rank(reasons[t])))
        {
            var (op, index, _) = GraphDefImporter.ParseInput(tensor);
            var feeds = Placeholders(op, nodes);
            // A sink that no placeholder reaches is a constant computation, not a prediction.
            if (reasons[tensor] is ["sink"] && feeds.Count == 0) continue;
            candidates.Add(new OutputCandidate(tensors.Describe(op, index), reasons[tensor], feeds));
        }
        return candidates;
    }

    /// <summary>
    /// A softmax reader's first input as a tensor name, followed back through the Reshape (and
    /// StopGradient) that <c>softmax_cross_entropy_with_logits</c> puts before its op to the tensor
    /// the model computed; null when that is a placeholder (labels fed straight in).
    /// </summary>
    private static string? Logits(string input, Dictionary<string, NodeDef> nodes)
    {
        var (op, index, isControl) = GraphDefImporter.ParseInput(input);
        for (int hops = 0; !isControl && nodes.TryGetValue(op, out var node) && node.Op is "Reshape" or "StopGradient" && node.Input.Count > 0 && hops < 8; hops++)
            (op, index, isControl) = GraphDefImporter.ParseInput(node.Input[0]);
        if (isControl || !nodes.TryGetValue(op, out var source) || IsPlaceholder(source)) return null;
        return $"{op}:{index}";
    }

    /// <summary>The placeholders <paramref name="op"/> reads through data edges, sorted.</summary>
    private static List<string> Placeholders(string op, Dictionary<string, NodeDef> nodes)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { op };
        var stack = new Stack<string>([op]);
        while (stack.Count > 0)
        {
            if (!nodes.TryGetValue(stack.Pop(), out var node)) continue;
            if (IsPlaceholder(node)) found.Add(node.Name + ":0");
            foreach (string input in node.Input)
            {
                var (name, _, isControl) = GraphDefImporter.ParseInput(input);
                if (!isControl && seen.Add(name)) stack.Push(name);
            }
        }
        return [.. found];
    }

    private static int Rank(List<string> reasons) => reasons.Contains("softmax") ? 0 : reasons.Contains("logits") ? 1 : 2;

    private static bool IsPlaceholder(NodeDef node) => GraphInspector.IsPlaceholder(node.Op);

    /// <summary>Nodes of training, saving, summaries, initialisation and gradients: never a prediction.</summary>
    public static bool IsMachinery(NodeDef node)
    {
        string op = node.Op;
        return node.Name.Split('/').Any(part => MachineryScope().IsMatch(part))
            || op is "NoOp" or "Const" || op == "Identity" && node.Name.EndsWith("/read", StringComparison.Ordinal)
            || op.StartsWith("Apply", StringComparison.Ordinal) || op.StartsWith("Assign", StringComparison.Ordinal)
            || op.StartsWith("Variable", StringComparison.Ordinal) || op.StartsWith("Save", StringComparison.Ordinal)
            || op.StartsWith("Restore", StringComparison.Ordinal) || op.EndsWith("Summary", StringComparison.Ordinal)
            || op is "IsVariableInitialized" or "ScalarSummary" or "MergeSummary" or "Assert";
    }

    /// <summary>The scopes TF gives the saver (<c>save</c>, <c>save_1</c>), tf.gradients and the initializer.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(save|gradients|init)(_\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex MachineryScope();
}
