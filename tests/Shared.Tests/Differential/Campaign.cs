using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using TfMnist.Kernels;

namespace TfMnist.Tests.Differential;

/// <summary>A seeded run of many random cases; failures come back shrunk and printed.</summary>
internal static class Campaign
{
    /// <summary>CI's fixed seed (TFMNIST_FUZZ_SEED overrides).</summary>
    public const int DefaultSeed = 20261204;

    /// <summary>Fits in about a minute on the 2-core dev box with the other tests (TFMNIST_FUZZ_CASES overrides).</summary>
    public const int DefaultCases = 1000;

    public static int Seed => EnvInt("TFMNIST_FUZZ_SEED") ?? DefaultSeed;
    public static int Cases => EnvInt("TFMNIST_FUZZ_CASES") ?? DefaultCases;

    /// <summary>Distinct failures reported (shrunk) before the campaign stops (TFMNIST_FUZZ_REPORTS overrides).</summary>
    public static int Reports => EnvInt("TFMNIST_FUZZ_REPORTS") ?? 3;

    /// <summary>Failing cases shrunk at most (each costs up to a few hundred checks).</summary>
    private const int MaxShrinks = 12;

    internal sealed record Result(int Seed, int Cases, int Skipped, int Failing, TimeSpan Elapsed, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, int> SkipReasons);

    /// <summary>What this process can do: the tiers it forces and the vector widths the runtime gives it.</summary>
    public static string Machine() =>
        $"GEMM best tier {GemmIsaDetect.Best}, Vector<float> {Vector<float>.Count} lanes, Vector256 {(Vector256.IsHardwareAccelerated ? "on" : "off")}, " +
        $"Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, {Environment.ProcessorCount} cores; fast configs: " +
        string.Join("; ", ExecConfig.FastConfigs.Select(c => c.Name));

    /// <summary>Runs cases 0..<paramref name="cases"/>-1 of <paramref name="seed"/>; stops after <paramref name="maxFailures"/> failures.</summary>
    public static Result Run(int seed, int cases, int maxFailures = 3, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var skipReasons = new Dictionary<string, int>();
        var seenKinds = new HashSet<string>();
        int skipped = 0, failing = 0, shrinks = 0;
        // TFMNIST_FUZZ_LOG=path: progress every 1000 cases and each report as it comes, for long background campaigns.
        string? logFile = Environment.GetEnvironmentVariable("TFMNIST_FUZZ_LOG");
        void Note(string text) { if (logFile is not null) File.AppendAllText(logFile, text + Environment.NewLine); }
        Note($"seed {seed}, {cases} cases; {Machine()}");
        for (int i = 0; i < cases && failures.Count < maxFailures; i++)
        {
            if (i % 1000 == 0 && i > 0) Note($"{DateTime.UtcNow:HH:mm:ss} case {i}: {failing} failing, {skipped} skipped, {clock.Elapsed.TotalSeconds:F0} s");
            var spec = GraphGenerator.Generate(seed, i);
            var outcome = DifferentialRunner.Check(spec, ExecConfig.FastConfigs);
            if (outcome.ReferenceError is not null && !outcome.Failed)
            {
                skipped++;
                // "Nan in summary histogram for: h8" and "... for: h14" are one reason.
                string reason = outcome.ReferenceError.Split(" for: ")[0].Split('\'')[0];
                skipReasons[reason] = skipReasons.GetValueOrDefault(reason) + 1;
                continue;
            }
            if (!outcome.Failed) continue;
            failing++;
            // One report per bug: the same one tends to show up again and again, so only a new (config, kind, op)
            // is shrunk, and only a shrunk graph that fails at a new op is reported.
            if (shrinks >= MaxShrinks || !seenKinds.Add(Signature(outcome, outcome.Failure!))) continue;
            shrinks++;
            var (report, shrunkSignature) = Report(seed, i, spec, outcome);
            if (!seenKinds.Add("shrunk " + shrunkSignature)) continue;
            log?.Invoke(report);
            Note(report);
            failures.Add(report);
        }
        Note($"done: {cases} cases, {failing} failing, {skipped} skipped, {clock.Elapsed.TotalSeconds:F0} s");
        return new Result(seed, cases, skipped, failing, clock.Elapsed, failures, skipReasons);
    }

    /// <summary>The failure shrunk to the smallest graph that still fails the same way, as readable text.</summary>
    public static (string Report, string Signature) Report(int seed, int caseIndex, GraphSpec spec, CaseOutcome outcome)
    {
        var (small, smallOutcome, checks) = Shrinker.Shrink(spec, outcome);
        return ($"""
            DIFFERENTIAL FAILURE: seed {seed}, case {caseIndex} (rerun: TFMNIST_FUZZ_SEED={seed} TFMNIST_FUZZ_CASES={caseIndex + 1})
            executor: {outcome.Config} differs from the reference
            original ({spec.Nodes.Count} nodes): {outcome.Failure}
            shrunk in {checks} checks to {small.Nodes.Count} nodes: {smallOutcome.Failure}
            {small.Listing()}
            """, Signature(smallOutcome, smallOutcome.Failure!));
    }

    /// <summary>The part of a failure message that names the op, so different values of one bug count once.</summary>
    private static string Signature(CaseOutcome outcome, string failure)
    {
        int paren = failure.IndexOf('(');
        string op = outcome.Kind != "mismatch" || paren < 0 ? "" : failure[paren..].Split(' ')[0];
        return $"{outcome.Config!.Name}|{outcome.Kind}|{op}";
    }

    private static int? EnvInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
