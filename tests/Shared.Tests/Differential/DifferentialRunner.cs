using TfMnist.Core;
using TfMnist.Kernels;
using TfMnist.Runtime;

namespace TfMnist.Tests.Differential;

/// <summary>One way of running a graph: the reference executor, or the fast one with forced switches.</summary>
/// <param name="Isa">Gemm.ForceIsa on the running thread (null: the best the hardware has).</param>
/// <param name="Threads">Gemm.ForceThreads (null: automatic).</param>
internal sealed record ExecConfig(string Name, bool Reference, InterOpMode InterOp = InterOpMode.InOrder, int? Threads = null, GemmIsa? Isa = null)
{
    public static ExecConfig ReferenceExecutor { get; } = new("reference", Reference: true);

    /// <summary>The fast executor on one thread and on two (parallel plan runs and GEMM fork-joins), then on every
    /// vector tier the process can force for GEMM (in plan order, since the forced tier is the running thread's).</summary>
    public static IReadOnlyList<ExecConfig> FastConfigs { get; } = BuildFastConfigs();

    private static List<ExecConfig> BuildFastConfigs()
    {
        var configs = new List<ExecConfig>
        {
            new("fast, 1 thread, in order", false, InterOpMode.InOrder, Threads: 1),
            new("fast, 2 threads, parallel plan runs", false, InterOpMode.Parallel, Threads: 2),
        };
        foreach (var isa in new[] { GemmIsa.Vector512, GemmIsa.Vector256, GemmIsa.Vector128, GemmIsa.Scalar })
            if (isa <= GemmIsaDetect.Best)
                configs.Add(new($"fast, GEMM tier {isa}", false, InterOpMode.InOrder, Isa: isa));
        return configs;
    }

    public override string ToString() => Name;
}

/// <summary>What one case came to: the first difference, a fast-executor exception, or neither.</summary>
internal sealed record CaseOutcome(ExecConfig? Config, string? Failure, string? ReferenceError)
{
    public bool Failed => Failure is not null;
    /// <summary>Exceptions are compared by type; every value difference is one kind.</summary>
    public string Kind => Failure switch
    {
        null => "",
        _ when Failure.StartsWith("threw ", StringComparison.Ordinal) => Failure.Split(':')[0],
        _ when Failure.StartsWith("returned values", StringComparison.Ordinal) => "accepted what the reference rejects",
        _ => "mismatch",
    };
}

/// <summary>Runs a spec on the reference executor and on the fast ones and compares (see <see cref="ComparisonRules"/>).</summary>
internal static class DifferentialRunner
{
    /// <summary>Each session runs the step this many times, so variables updated in one run feed the next.</summary>
    public const int RunsPerSession = 2;

    public static CaseOutcome Check(GraphSpec spec, IReadOnlyList<ExecConfig> configs)
    {
        BuiltGraph? built = null;
        NDArray?[][] expected;
        try
        {
            built = GraphSpecBuilder.Build(spec);
            expected = Execute(built, ExecConfig.ReferenceExecutor, spec.RandomSeed);
        }
        catch (Exception e)
        {
            // What the reference rejects, every fast configuration must reject the same way.
            string error = $"{e.GetType().Name}: {e.Message}";
            if (built is null) return new CaseOutcome(null, null, error);
            foreach (var config in configs)
            {
                try
                {
                    Execute(built, config, spec.RandomSeed);
                    return new CaseOutcome(config, $"returned values where the reference threw {error}", error);
                }
                catch (Exception fast) when (fast.GetType() == e.GetType()) { }
                catch (Exception fast)
                {
                    return new CaseOutcome(config, $"threw {fast.GetType().Name}: {fast.Message} where the reference threw {error}", error);
                }
            }
            return new CaseOutcome(null, null, error);
        }
        float scale = InputScale(spec);
        var rules = built.Fetches.Select(t => ComparisonRules.RuleFor(t) with { Scale = scale }).ToArray();
        // Run only when a tolerant comparison fails the fixed tolerance: green cases cost nothing more.
        var perturbed = new Lazy<NDArray?[][]?[]>(() => PerturbedRuns(spec));
        foreach (var config in configs)
        {
            string? failure = Compare(spec, built, config, expected, rules, perturbed);
            if (failure is not null) return new CaseOutcome(config, failure, null);
        }
        return new CaseOutcome(null, null, null);
    }

    /// <summary>Perturbed copies run on the reference executor (see <see cref="ComparisonRules.SlackFactor"/>); two sign
    /// draws, so that a fetch where one draw's perturbations happen to cancel still gets the other's estimate.</summary>
    public static readonly int[] PerturbationSeeds = [1, 2];

    /// <summary>The reference executor's runs of each perturbed copy (null where the copy could not be built or run).</summary>
    public static NDArray?[][]?[] PerturbedRuns(GraphSpec spec) => PerturbationSeeds.Select(seed =>
    {
        try { return Execute(GraphSpecBuilder.Build(spec, seed), ExecConfig.ReferenceExecutor, spec.RandomSeed); }
        catch (Exception) { return null; }
    }).ToArray();

    /// <summary>Per element, <see cref="ComparisonRules.SlackFactor"/> times the largest finite |perturbed - reference|
    /// (null when no perturbed run has a float value of the same shape there).</summary>
    public static float[]? Slack(NDArray? expected, IEnumerable<NDArray?> perturbed)
    {
        if (expected is null || expected.DType != DType.Float) return null;
        float[]? slack = null;
        foreach (var p in perturbed)
        {
            if (p is null || p.DType != DType.Float || !expected.ShapeEquals(p.Shape)) continue;
            slack ??= new float[expected.Size];
            var e = expected.Floats;
            var q = p.Floats;
            for (int i = 0; i < slack.Length; i++)
            {
                float d = ComparisonRules.SlackFactor * Math.Abs(q[i] - e[i]);
                if (float.IsFinite(d)) slack[i] = Math.Max(slack[i], d);
            }
        }
        return slack;
    }

    private static string? Compare(GraphSpec spec, BuiltGraph built, ExecConfig config, NDArray?[][] expected, ComparisonRules.Rule[] rules,
        Lazy<NDArray?[][]?[]> perturbed)
    {
        NDArray?[][] actual;
        try
        {
            actual = Execute(built, config, spec.RandomSeed);
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
        for (int run = 0; run < RunsPerSession; run++)
            for (int f = 0; f < built.Fetches.Length; f++)
            {
                string? difference = ComparisonRules.Difference(expected[run][f], actual[run][f], rules[f]);
                if (difference is not null && rules[f].Tolerance > 0)
                {
                    var slack = Slack(expected[run][f], perturbed.Value.Where(p => p is not null).Select(p => p![run][f]));
                    if (slack is not null) difference = ComparisonRules.Difference(expected[run][f], actual[run][f], rules[f], slack);
                }
                if (difference is null) continue;
                int node = built.FetchNodes[f];
                var n = spec.Nodes[node];
                string what = n.Kind is NodeKind.Unary or NodeKind.Binary or NodeKind.Reduce ? n.Op : n.Kind.ToString();
                return $"run {run + 1}, fetch n{node} ({what} '{built.Fetches[f].Name}'"
                    + $", {rules[f]}{(rules[f].Tolerance > 0 ? $" + {ComparisonRules.SlackFactor} x |perturbed - reference|" : "")}): {difference}";
            }
        return null;
    }

    /// <summary>The largest finite magnitude among the graph's fed, constant and initial values.</summary>
    private static float InputScale(GraphSpec spec)
    {
        float scale = 1;
        foreach (var node in spec.Nodes.Where(n => n.Kind is NodeKind.Placeholder or NodeKind.Const or NodeKind.Variable))
            foreach (float v in SpecValues.Fill(node.Values, node.ValueSeed, spec.ConcreteShape(node).Aggregate(1, (a, b) => a * b)))
                if (float.IsFinite(v)) scale = Math.Max(scale, Math.Abs(v));
        return scale;
    }

    /// <summary>A fresh session under <paramref name="config"/>: initialize, then <see cref="RunsPerSession"/> runs.</summary>
    public static NDArray?[][] Execute(BuiltGraph built, ExecConfig config, int seed)
    {
        var (isa, threads) = (Gemm.ForceIsa, Gemm.ForceThreads);
        Gemm.ForceIsa = config.Isa;
        Gemm.ForceThreads = config.Threads;
        try
        {
            using var session = new Session(built.Graph, config.Reference ? SessionOptions.Reference : SessionOptions.Default) { Seed = seed };
            if (!config.Reference)
            {
                session.InterOp = config.InterOp;
                session.FuseElementwise = true;
            }
            session.Run(built.Init);
            var fetches = built.Fetches.Select(t => (Fetch)t).Concat(built.Targets.Select(o => (Fetch)o)).ToArray();
            var runs = new NDArray?[RunsPerSession][];
            for (int run = 0; run < RunsPerSession; run++)
                runs[run] = session.Run(fetches, built.Feeds).Take(built.Fetches.Length).ToArray();
            return runs;
        }
        finally
        {
            (Gemm.ForceIsa, Gemm.ForceThreads) = (isa, threads);
        }
    }
}
