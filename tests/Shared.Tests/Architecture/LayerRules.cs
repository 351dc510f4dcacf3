using System.Text.RegularExpressions;

namespace TfMnist.Tests.Architecture;

/// <summary>
/// The engine's layers: which namespaces of Shared/ each namespace may name. Written once, here; drawn in
/// docs/ARCHITECTURE.md. Every edge points down, so the graph has no cycle (a test checks that too).
/// </summary>
internal static partial class LayerRules
{
    /// <summary>The bottom of the stack: generated protos and byte-level helpers, usable from every layer above Core.</summary>
    private static readonly string[] Base = ["Proto", "IO"];

    /// <summary>Namespace (without "TfMnist.") -> the namespaces it may use, bottom up.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>
    {
        // Leaves: generated protos and byte-level helpers.
        ["Proto"] = [],
        ["IO"] = [],
        // The apps' shared exit-code table and one-line error reporting.
        ["Cli"] = [],
        // The types every layer uses.
        ["Core"] = [.. Base],
        // Numeric kernels know arrays and spans; formats know bytes and protos; data knows IDX files.
        ["Kernels"] = ["Core"],
        ["Data"] = ["Core", "IO"],
        ["Checkpoint.Table"] = ["IO"],
        ["Checkpoint"] = ["Checkpoint.Table", "Core", .. Base],
        ["Summary"] = ["Kernels", "Core", .. Base],
        // The graph and the op contract; then the op definitions.
        ["Framework"] = ["Core", .. Base],
        ["Ops"] = ["Framework", "Kernels", "Summary", "Checkpoint", "Core", .. Base],
        // Above the ops: gradient construction, the runtime, training and saving.
        ["Gradients"] = ["Ops", "Framework", "Core"],
        ["Runtime"] = ["Ops", "Framework", "Kernels", "Summary", "Core", .. Base],
        ["Train"] = ["Gradients", "Runtime", "Ops", "Framework", "Core"],
        ["Saving"] = ["Runtime", "Ops", "Framework", "Checkpoint", "Core", .. Base],
        // A restored graph's inference path as an ONNX model (the ONNX protos sit in Proto, with the other formats).
        ["Export"] = ["Runtime", "Framework", "Core", .. Base],
        // The inspector (TF's companion tools): format readers and the engine's graph import, no session.
        ["Inspect"] = ["Saving", "Framework", "Summary", "Checkpoint", "Core", .. Base],
        // The facade in TensorFlow.NET's spelling (namespaces Tensorflow and Tensorflow.NumPy), then the network built with it.
        ["Tensorflow"] = ["Saving", "Train", "Runtime", "Gradients", "Ops", "Framework", "Summary", "Checkpoint", "Kernels", "Data", "Core", .. Base],
        ["Mnist"] = ["Tensorflow", "Saving", "Train", "Runtime", "Gradients", "Ops", "Framework", "Summary", "Checkpoint", "Kernels", "Data", "Core", .. Base],
    };

    public sealed record Violation(string File, int Line, string From, string To, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {From} -> {To} is not allowed ({Text.Trim()})";
    }

    /// <summary>Every reference in <paramref name="files"/> (path, text) to a namespace its own may not use.</summary>
    public static List<Violation> Check(IReadOnlyList<(string Path, string Text)> files)
    {
        var typesByNamespace = files
            .Select(f => (Ns: Short(NamespaceOf(f.Text)), f.Text))
            .Where(f => f.Ns is not null)
            .GroupBy(f => f.Ns!)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => SourceTree.TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet());
        var violations = new List<Violation>();
        foreach (var (path, text) in files)
        {
            string? own = Short(NamespaceOf(text));
            if (own is null) continue;
            if (!MayUse.TryGetValue(own, out var allowed))
            {
                violations.Add(new(path, 1, own, "?", $"namespace TfMnist.{own} has no place in LayerRules.MayUse"));
                continue;
            }
            var lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
                foreach (var target in References(lines[i], typesByNamespace))
                    if (target != own && !allowed.Contains(target))
                        violations.Add(new(path, i + 1, own, target, lines[i]));
        }
        return violations;
    }

    private static string? NamespaceOf(string text) => SourceTree.NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>"TfMnist.Checkpoint.Table.X" -> the longest namespace of the table it names ("Checkpoint.Table");
    /// "Tensorflow", "Tensorflow.NumPy" or "Tensorflow.Binding" -> "Tensorflow", the facade.</summary>
    private static string? Short(string? fullName)
    {
        if (fullName is "Tensorflow" || fullName?.StartsWith("Tensorflow.", StringComparison.Ordinal) == true) return "Tensorflow";
        if (fullName is null || !fullName.StartsWith("TfMnist.", StringComparison.Ordinal)) return null;
        string rest = fullName["TfMnist.".Length..];
        for (string candidate = rest; ; candidate = candidate[..candidate.LastIndexOf('.')])
        {
            if (MayUse.ContainsKey(candidate)) return candidate;
            if (!candidate.Contains('.')) return rest.Split('.')[0];
        }
    }

    /// <summary>The namespaces one line names: using directives, TfMnist.X qualified names, and X.Type names
    /// relative to TfMnist (in code or in a cref), where Type is declared in X.</summary>
    private static IEnumerable<string> References(string line, Dictionary<string, HashSet<string>> types)
    {
        if (SourceTree.UsingDirective().Match(line) is { Success: true } u)
        {
            yield return Short(u.Groups[1].Value)!;
            yield break;
        }
        var crefs = Comment().Match(line) is { Success: true } comment
            ? Cref().Matches(comment.Value).Select(c => c.Groups[1].Value) : [];
        string code = StringLiteral().Replace(Comment().Replace(line, ""), "\"\"") + " " + string.Join(' ', crefs);
        foreach (Match m in Qualified().Matches(code))
            yield return Short(m.Value)!;
        foreach (Match m in Relative().Matches(code))
        {
            string ns = m.Groups[1].Value, type = m.Groups[2].Value;
            if (types.TryGetValue(ns, out var declared) && declared.Contains(type)) yield return ns;
        }
    }

    [GeneratedRegex(@"//.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"cref=""([^""]*)""")]
    private static partial Regex Cref();

    [GeneratedRegex(@"@?\$?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b(?:TfMnist|Tensorflow)(?:\.\w+)+")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"(?<![\w.])((?:Checkpoint\.Table)|[A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex Relative();
}
