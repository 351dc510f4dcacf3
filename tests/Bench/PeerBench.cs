using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using TfMnist.Kernels;

namespace TfMnist.Bench;

/// <summary>
/// The full original schedule, ours and the peers' (../shared/peers), run alternately in one
/// session, with medians and ratios ours/peer — the comparison BENCH.md asks for.
/// </summary>
internal static class PeerBench
{
    public static void Run(string dataDir, int rounds, bool numpyTrain)
    {
        string? peers = FindPeers();
        string trainerDll = Path.Combine(AppContext.BaseDirectory, "Trainer.dll");
        var ours = new List<double>();
        var torch = new List<Dictionary<string, double>>();
        var numpy = new List<Dictionary<string, double>>();
        var steps = new List<StepBench.Medians>();
        for (int round = 1; round <= rounds; round++)
        {
            ours.Add(RunOurs(trainerDll, dataDir));
            Console.WriteLine($"round {round}: ours loop {ours[^1]:F2} s (every summary, run metadata, checkpoint)");
            steps.Add(StepBench.Run(dataDir, 200));
            if (peers is null) continue;
            if (RunPeer(Path.Combine(peers, "torchsharp-mlp", "run.sh"), "train") is { } t)
            {
                torch.Add(t);
                Console.WriteLine($"round {round}: torchsharp loop {t["loop_ms"] / 1000:F2} s (bare math)");
            }
            if (numpyTrain && RunPeer(Path.Combine(peers, "numpy-mlp", "run.sh"), "train") is { } n)
            {
                numpy.Add(n);
                Console.WriteLine($"round {round}: numpy loop {n["loop_ms"] / 1000:F2} s (bare math)");
            }
        }

        Console.WriteLine();
        double oursLoop = Stats.Median(ours);
        Console.WriteLine($"SCHEDULE ours_loop_median_s={oursLoop:F2}");
        if (torch.Count > 0)
        {
            double t = Stats.Median(torch.Select(r => r["loop_ms"] / 1000).ToList());
            Console.WriteLine($"SCHEDULE torchsharp_loop_median_s={t:F2} ratio_ours_over_torchsharp={oursLoop / t:F2} " +
                              $"torchsharp_train_median_ms={Stats.Median(torch.Select(r => r["train_median_ms"]).ToList()):F3} " +
                              $"torchsharp_eval_median_ms={Stats.Median(torch.Select(r => r["eval_median_ms"]).ToList()):F2}");
        }
        if (numpy.Count > 0)
        {
            double n = Stats.Median(numpy.Select(r => r["loop_ms"] / 1000).ToList());
            Console.WriteLine($"SCHEDULE numpy_loop_median_s={n:F2} ratio_ours_over_numpy={oursLoop / n:F2}");
        }
        double trainBare = Stats.Median(steps.Select(m => m.TrainBareMs).ToList());
        double testBare = Stats.Median(steps.Select(m => m.TestBareMs).ToList());
        Console.WriteLine($"STEPS ours_train_bare_median_ms={trainBare:F3} ours_train_with_summaries_median_ms={Stats.Median(steps.Select(m => m.TrainFullMs).ToList()):F3} " +
                          $"ours_test_bare_median_ms={testBare:F2} ours_test_with_summaries_median_ms={Stats.Median(steps.Select(m => m.TestFullMs).ToList()):F2}");
        foreach (var (name, runs) in new[] { ("torchsharp", torch), ("numpy", numpy) })
        {
            if (runs.Count == 0) continue;
            double t = Stats.Median(runs.Select(r => r["train_median_ms"]).ToList()), e = Stats.Median(runs.Select(r => r["eval_median_ms"]).ToList());
            Console.WriteLine($"STEPS {name}_train_median_ms={t:F3} ratio_ours_bare_over_{name}={trainBare / t:F2} " +
                              $"{name}_eval_median_ms={e:F2} ratio_ours_bare_test_over_{name}={testBare / e:F2}");
        }
        if (peers is null) Console.WriteLine("(../shared/peers not found: peer figures skipped)");
    }

    /// <summary>Our GEMM on the network's shapes beside the peers' own GEMM benchmarks.</summary>
    public static void Gemm(int reps, string? filter = null, int? threads = null, bool noPeers = false, GemmKernel? kernel = null, GemmIsa? isa = null)
    {
        Console.Write(GemmBench.Run(isa: isa, threads: threads, reps: reps, filter: filter, kernel: kernel));
        if (noPeers) return;
        string? peers = FindPeers();
        if (peers is null) { Console.WriteLine("(../shared/peers not found: peer GEMM skipped)"); return; }
        foreach (var line in RunLines(Path.Combine(peers, "torchsharp-mlp", "run.sh"), "gemm", NumpyEnvironment: false))
            if (line.StartsWith("GEMM")) Console.WriteLine(line);
        foreach (var line in RunLines(Path.Combine(peers, "numpy-mlp", "run.sh"), "gemm", NumpyEnvironment: true))
            if (line.StartsWith("GEMM")) Console.WriteLine(line);
    }

    private static double RunOurs(string trainerDll, string dataDir)
    {
        string work = Path.Combine(Path.GetTempPath(), $"tfmnist-bench-{Guid.NewGuid():N}");
        try
        {
            var lines = RunLines("dotnet", "", false, trainerDll, "--data-dir", dataDir, "--log-dir", Path.Combine(work, "eventlog"),
                "--model-dir", Path.Combine(work, "model"), "--print-every", "10000");
            var final = lines.LastOrDefault(l => l.StartsWith("Final:")) ?? throw new InvalidOperationException("Trainer printed no Final line:\n" + string.Join("\n", lines));
            var m = Regex.Match(final, @", ([0-9.]+) s$");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private static Dictionary<string, double>? RunPeer(string script, string mode)
    {
        bool numpy = script.Contains("numpy");
        var result = RunLines(script, mode, numpy).LastOrDefault(l => l.StartsWith("RESULT"));
        if (result is null) return null;
        var values = new Dictionary<string, double>();
        foreach (Match m in Regex.Matches(result, @"(\w+)=([0-9.]+)"))
            values[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        // The NumPy peer reports eval/train medians under the same names as the TorchSharp one.
        return values;
    }

    private static List<string> RunLines(string script, string mode, bool NumpyEnvironment, params string[] extra)
    {
        var start = script == "dotnet" ? new ProcessStartInfo("dotnet") : new ProcessStartInfo("bash") { ArgumentList = { script, mode } };
        foreach (var a in extra) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // The issue's NumPy figures are for OpenBLAS choosing its own kernels: the peer script
        // unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE under PEER_AVX512=1 (on this machine it
        // then detects Cooperlake, whose AVX-512 kernels beat a forced SkylakeX on small shapes).
        if (NumpyEnvironment) start.Environment["PEER_AVX512"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine($"{script} {mode} exited {process.ExitCode}: {stderr.Result.Trim()}");
        return lines;
    }

    private static string? FindPeers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "peers");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
