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
        if (numpyTrain && peers is not null) ReportNumpyBlas();
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

    /// <summary>Our dense rows for the peers' shapes: what each peer's label contains, and ours.</summary>
    private static readonly (string PeerShape, string Ours)[] GemmPairs =
    [
        ("10000x784 @ 784x100", "test fwd X·W1"),
        ("100x784 @ 784x100", "train fwd X·W1"),
        ("X^T(784x100) @ G(100x100)", "dW1 = Xᵀ·dH"),
    ];

    /// <summary>
    /// Our GEMM on the network's shapes beside the peers' own GEMM benchmarks, then ours over theirs: in
    /// <paramref name="rounds"/> alternating rounds (ours, TorchSharp, NumPy), each round's ratios and their medians,
    /// so that a burst of load on the shared host skews one round rather than the comparison.
    /// </summary>
    public static void Gemm(int reps, string? filter = null, int? threads = null, bool noPeers = false, GemmKernel? kernel = null,
        GemmIsa? isa = null, int rounds = 1)
    {
        string? peers = noPeers ? null : FindPeers();
        if (!noPeers && peers is null) Console.WriteLine("(../shared/peers not found: peer GEMM skipped)");
        if (peers is not null) ReportNumpyBlas();
        var ratios = new SortedDictionary<string, List<(double Best, double Median)>>(StringComparer.Ordinal);
        for (int round = 1; round <= Math.Max(1, rounds); round++)
        {
            if (rounds > 1) Console.WriteLine($"round {round}");
            var ours = new Dictionary<string, (double Best, double Median)>();
            Console.Write(GemmBench.Run(isa: isa, threads: threads, reps: reps, filter: filter, kernel: kernel, results: ours));
            if (peers is null) continue;
            var peerLines = new List<string>();
            foreach (var line in RunLines(Path.Combine(peers, "torchsharp-mlp", "run.sh"), "gemm", NumpyEnvironment: false))
                if (line.StartsWith("GEMM")) peerLines.Add(line);
            foreach (var line in RunLines(Path.Combine(peers, "numpy-mlp", "run.sh"), "gemm", NumpyEnvironment: true))
                if (line.StartsWith("GEMM")) peerLines.Add(line);
            peerLines.ForEach(Console.WriteLine);
            // Ratios of the dense kernel (what the peers run) on the same shapes, measured in this round.
            foreach (var line in peerLines)
            {
                string peer = Regex.Match(line, @"peer=(\w+)").Groups[1].Value;
                string shape = Regex.Match(line, "shape=\"([^\"]*)\"").Groups[1].Value;
                // TorchSharp labels a shape as it is; NumPy puts a phase in front ("train fwd 100x784 @ 784x100").
                var pair = GemmPairs.FirstOrDefault(p => shape == p.PeerShape || shape.EndsWith(" " + p.PeerShape, StringComparison.Ordinal));
                if (pair.Ours is null || !ours.TryGetValue(pair.Ours, out var mine)) continue;
                double PeerValue(string key) => Regex.Match(line, key + @"=([0-9.]+)") is { Success: true } m
                    ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
                double peerBest = PeerValue("best_gflops"), peerMedian = PeerValue("median_gflops");
                var ratio = (mine.Best / peerBest, mine.Median / peerMedian);
                string key = $"ours/{peer} \"{pair.Ours}\"";
                (ratios.TryGetValue(key, out var list) ? list : ratios[key] = []).Add(ratio);
                string best = double.IsNaN(peerBest) ? "" : $" ratio_best={ratio.Item1:F2}";
                Console.WriteLine($"GEMM ratio {key}{best} ratio_median={ratio.Item2:F2}");
            }
        }
        if (rounds <= 1) return;
        foreach (var (key, list) in ratios)
        {
            var best = list.Select(r => r.Best).Where(double.IsFinite).ToList();
            string bestPart = best.Count > 0 ? $" median_of_ratio_best={Stats.Median(best):F2}" : "";
            Console.WriteLine($"GEMM rounds={list.Count} {key}{bestPart} median_of_ratio_median={Stats.Median(list.Select(r => r.Median).ToList()):F2} " +
                $"per_round={string.Join("/", list.Select(r => r.Median.ToString("F2", CultureInfo.InvariantCulture)))}");
        }
    }

    /// <summary>
    /// Which BLAS the NumPy peer loads. Debian's python3-numpy alone links the reference BLAS (libblas3), some
    /// 30x slower than OpenBLAS (a 328 s loop instead of 9 s): that would make a ratio meaningless, so say so.
    /// </summary>
    private static void ReportNumpyBlas()
    {
        var lines = RunLines("/usr/bin/python3", "", false, "-c",
            "import numpy, re; print('\\n'.join(sorted({m for m in re.findall(r'\\S*blas\\S*\\.so\\S*', open('/proc/self/maps').read())})))");
        string loaded = string.Join(", ", lines.Where(l => l.Length > 0));
        Console.WriteLine($"PEER numpy BLAS: {(loaded.Length > 0 ? loaded : "none found")}");
        if (!loaded.Contains("openblas", StringComparison.OrdinalIgnoreCase))
            Console.WriteLine("PEER warning: NumPy is not on OpenBLAS, so its figures are not the issue's peer (apt-get install -y libopenblas0-pthread)");
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
        var start = script is "dotnet" or "/usr/bin/python3" ? new ProcessStartInfo(script) : new ProcessStartInfo("bash") { ArgumentList = { script, mode } };
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
