namespace TfMnist.Tests.Differential;

/// <summary>
/// The fast executor against the reference executor on seeded random graphs (README.md beside this file).
/// Runs alone: the two-thread configuration needs the helper threads, which a concurrent test could hold.
/// </summary>
[Collection(nameof(DifferentialCollection))]
public class DifferentialTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomGraphsGiveTheReferenceResultsOnEveryFastConfiguration()
    {
        var result = Campaign.Run(Campaign.Seed, Campaign.Cases, Campaign.Reports, output.WriteLine);
        string summary = $"differential: seed {result.Seed}, {result.Cases} cases ({result.Skipped} skipped: reference rejected the graph), " +
                         $"{result.Elapsed.TotalSeconds:F1} s, {result.Failing} failing cases, {result.Failures.Count} distinct failures reported; {Campaign.Machine()}";
        output.WriteLine(summary);
        foreach (var (reason, count) in result.SkipReasons) output.WriteLine($"  skipped {count}x: {reason}");
        Console.Error.WriteLine(summary);
        Assert.True(result.Failing == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, result.Failures));
        // A generator that makes graphs the reference rejects tests nothing: keep the rejections rare.
        Assert.True(result.Skipped * 10 <= result.Cases, summary);
    }

    /// <summary>TFMNIST_FUZZ_CASE=i (with TFMNIST_FUZZ_SEED) prints case i's graph, its outcome and, when it fails, the
    /// shrunk graph; without it, case 0 is replayed, so the replay path itself stays tested.</summary>
    [Fact]
    public void ReplayOneCase()
    {
        string? index = Environment.GetEnvironmentVariable("TFMNIST_FUZZ_CASE");
        int caseIndex = index is null ? 0 : int.Parse(index);
        var spec = GraphGenerator.Generate(Campaign.Seed, caseIndex);
        output.WriteLine(spec.Listing());
        var outcome = DifferentialRunner.Check(spec, ExecConfig.FastConfigs);
        output.WriteLine($"reference: {outcome.ReferenceError ?? "ran"}; {(outcome.Failed ? $"{outcome.Config}: {outcome.Failure}" : "every fast configuration agrees")}");
        if (outcome.Failed) output.WriteLine(Campaign.Report(Campaign.Seed, caseIndex, spec, outcome).Report);
        Assert.False(outcome.Failed, outcome.Failure);
    }

    [Fact]
    public void TheGeneratorIsDeterministicAndCoversTheRewrittenPatterns()
    {
        var a = GraphGenerator.Generate(5, 17).Listing();
        Assert.Equal(a, GraphGenerator.Generate(5, 17).Listing());
        var specs = Enumerable.Range(0, 400).Select(i => GraphGenerator.Generate(Campaign.DefaultSeed, i)).ToList();
        bool Any(Func<GraphSpec, SpecNode, bool> pattern) => specs.Any(s => s.Nodes.Any(n => pattern(s, n)));
        Assert.True(Any((s, n) => n.Kind == NodeKind.MatMul && n.Inputs[0] == n.Inputs[1] && s.Nodes[n.Inputs[0]].Op == "Round"), "matmul(round(x), round(x))");
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
            Assert.True(Any((_, n) => n.Kind == NodeKind.MatMul && n.TransposeA == ta && n.TransposeB == tb), $"MatMul transpose_a={ta} transpose_b={tb}");
        Assert.True(Any((s, n) => n.Kind == NodeKind.MatMul && s.Nodes[n.Inputs[0]].Op == "Round" && s.Dims[1] >= 16 && s.Dims[2] > 16), "sparse-sized Round-into-MatMul");
        Assert.True(Any((s, n) => n.Kind == NodeKind.Unary && n.Op == "Relu" && s.Nodes[n.Inputs[0]].Kind is NodeKind.BiasAdd), "bias add + relu epilogue");
        Assert.True(Any((s, n) => n.Kind == NodeKind.Dropout && n.Param == 1f && n.Fed), "dropout, fed keep_prob 1");
        Assert.True(Any((s, n) => n.Kind == NodeKind.Dropout && n.Param == 1f && !n.Fed), "dropout, constant keep_prob 1");
        Assert.True(Any((s, n) => n.Kind is NodeKind.Binary or NodeKind.Dropout
            && n.Inputs.Any(i => s.Nodes[i].Kind == NodeKind.Unary && s.Nodes[i].Op == "StopGradient" && s.Nodes[s.Nodes[i].Inputs[0]].Kind == NodeKind.Variable)
            && s.Nodes.Any(u => GraphSpec.IsUpdate(u.Kind))), "stop_gradient(w) * 1 before an update of w");
        Assert.True(Any((s, n) => n.Kind == NodeKind.HistogramSummary && s.Nodes[n.Inputs[0]].Op == "Relu"
            && s.Nodes.Any(h => h.Kind == NodeKind.HistogramSummary && h.Inputs[0] == s.Nodes[n.Inputs[0]].Inputs[0])), "histograms of x and relu(x)");
        Assert.True(Any((_, n) => n.Kind == NodeKind.ReadAfter), "a read after an update");
        Assert.True(Any((_, n) => n.Kind == NodeKind.CrossEntropy), "softmax cross-entropy");
        Assert.True(Any((_, n) => n.Kind == NodeKind.Minimize && n.Op == ""), "a gradient descent step");
        Assert.True(Any((_, n) => n.Kind == NodeKind.Minimize && n.Op == "Adam"), "an Adam step");
        Assert.True(Any((s, n) => n.Kind == NodeKind.ApplyAdam && s.Nodes.Any(r => r.Kind == NodeKind.ReadAfter && s.Nodes[r.Inputs[1]] == n)),
            "ApplyAdam on a variable, read after");
        Assert.True(Any((_, n) => n.Kind == NodeKind.SigmoidCrossEntropy), "sigmoid cross-entropy");
        foreach (var cmp in new[] { "Less", "Greater", "LessEqual", "GreaterEqual" })
            Assert.True(Any((_, n) => n.Kind == NodeKind.Select && n.Op == cmp), $"where({cmp}(a, b), a, e)");
        foreach (var op in new[] { "Tanh", "Sigmoid", "Abs", "Sign", "Reciprocal", "Log", "Log1p" })
            Assert.True(Any((_, n) => n.Kind == NodeKind.Unary && n.Op == op), op);
        Assert.True(Any((s, n) => n.Kind == NodeKind.Unary && n.Op is "Log" or "Log1p" && s.Nodes[n.Inputs[0]].Op is "Abs" or "Sigmoid"), "log of positive values");
        Assert.True(Any((_, n) => n.Kind == NodeKind.Binary && n.Op == "Minimum"), "Minimum");
        Assert.True(Any((_, n) => n.Kind == NodeKind.Binary && n.Op == "Pow"), "Pow");
        Assert.True(Any((s, n) => n.Kind == NodeKind.MatMul && n.TransposeA && s.Nodes[n.Inputs[0]].Values == ValueKind.MostlyZero && s.Dims[1] >= 16), "a sparse Xᵀ·dH");
    }
}

[CollectionDefinition(nameof(DifferentialCollection), DisableParallelization = true)]
public sealed class DifferentialCollection;
