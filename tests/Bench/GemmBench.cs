using System.Diagnostics;
using System.Text;

using TfMnist.Kernels;

namespace TfMnist.Bench;

/// <summary>
/// GFLOP/s of <see cref="Gemm"/> on the network's shapes: the first half of <c>bench gemm</c> (<see cref="PeerBench"/>
/// then runs the peers). Not a test, no assertions; build Release.
/// </summary>
internal static class GemmBench
{
    /// <summary>(M, K, N, transposeA, transposeB, sparse-left, label)</summary>
    private static readonly (int M, int K, int N, bool TA, bool TB, bool Sparse, string Label)[] Shapes =
    [
        (10000, 784, 100, false, false, false, "test fwd X·W1"),
        (10000, 784, 100, false, false, true, "test fwd X·W1 sparse"),
        (100, 784, 100, false, false, false, "train fwd X·W1"),
        (100, 784, 100, false, false, true, "train fwd X·W1 sparse"),
        (100, 100, 10, false, false, false, "H·W2"),
        (10000, 100, 10, false, false, false, "test fwd H·W2"),
        (784, 100, 100, true, false, false, "dW1 = Xᵀ·dH"),
        (784, 100, 100, true, false, true, "dW1 = Xᵀ·dH sparse"),
        (100, 100, 10, true, false, false, "dW2 = Hᵀ·dL"),
        (100, 10, 100, false, true, false, "dH = dL·W2ᵀ"),
        (100, 100, 784, false, true, false, "dX = dH·W1ᵀ"),
    ];

    /// <param name="density">Fraction of ones in A for the sparse-left shapes (binarised MNIST: 0.134, measured on the test set).</param>
    /// <param name="kernel">Force a kernel wherever it can compute the shape (<see cref="Gemm.ForceKernel"/>); null = automatic.</param>
    /// <param name="results">When given, receives each measured shape's best and median GF/s by label.</param>
    public static string Run(GemmIsa? isa = null, int? threads = null, int reps = 20, string? filter = null, float density = 0.134f,
        GemmKernel? kernel = null, IDictionary<string, (double Best, double Median)>? results = null)
    {
        var (savedIsa, savedThreads, savedKernel) = (Gemm.ForceIsa, Gemm.ForceThreads, Gemm.ForceKernel);
        Gemm.ForceIsa = isa;
        Gemm.ForceThreads = threads;
        Gemm.ForceKernel = kernel;
        try
        {
            var sb = new StringBuilder();
            sb.AppendLine($"ISA {Gemm.Isa}, threads {threads?.ToString() ?? "auto"}, kernel {kernel?.ToString() ?? "auto"}, {reps} reps");
            // Wall-clock rates, and rates per CPU-second actually consumed by the process (robust when other
            // processes compete for the cores; with 2 threads ideal scaling is wall = 2 x cpu rate).
            sb.AppendLine($"{"shape",-24} {"M",6} {"K",5} {"N",5} {"best GF/s",10} {"median",8} {"best/cpu-s",11} {"median",8}");
            var rng = new Random(1);
            foreach (var s in Shapes)
            {
                if (filter != null && !s.Label.Contains(filter, StringComparison.Ordinal))
                    continue;
                float[] a = new float[s.M * s.K], b = new float[s.K * s.N], c = new float[s.M * s.N];
                for (int i = 0; i < a.Length; i++)
                    a[i] = s.Sparse ? (rng.NextSingle() < density ? 1f : 0f) : rng.NextSingle() - 0.5f;
                for (int i = 0; i < b.Length; i++)
                    b[i] = rng.NextSingle() - 0.5f;
                int aRows = s.TA ? s.K : s.M, aCols = s.TA ? s.M : s.K;
                int bRows = s.TB ? s.N : s.K, bCols = s.TB ? s.K : s.N;
                void Call()
                {
                    if (s.Sparse)
                        Gemm.MultiplySparseLeft(a, aRows, aCols, s.TA, b, bRows, bCols, s.TB, c);
                    else
                        Gemm.Multiply(a, aRows, aCols, s.TA, b, bRows, bCols, s.TB, c);
                }

                double flops = 2.0 * s.M * s.K * s.N;
                int inner = (int)Math.Max(1, 2e9 / flops); // ~10 ms per rep (CPU time has coarse granularity) even for tiny shapes
                for (int w = 0; w < 3 * inner; w++)
                    Call();
                var rates = new double[reps];
                var cpuRates = new double[reps];
                using var process = Process.GetCurrentProcess();
                for (int r = 0; r < reps; r++)
                {
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    long t0 = Stopwatch.GetTimestamp();
                    for (int w = 0; w < inner; w++)
                        Call();
                    double sec = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    process.Refresh();
                    double cpuSec = (process.TotalProcessorTime - cpu0).TotalSeconds;
                    rates[r] = flops * inner / sec / 1e9;
                    cpuRates[r] = flops * inner / Math.Max(cpuSec, 1e-6) / 1e9;
                }
                Array.Sort(rates);
                Array.Sort(cpuRates);
                if (results is not null) results[s.Label] = (rates[^1], rates[reps / 2]);
                sb.AppendLine($"{s.Label,-24} {s.M,6} {s.K,5} {s.N,5} {rates[^1],10:F1} {rates[reps / 2],8:F1} {cpuRates[^1],11:F1} {cpuRates[reps / 2],8:F1}");
            }
            return sb.ToString();
        }
        finally
        {
            (Gemm.ForceIsa, Gemm.ForceThreads, Gemm.ForceKernel) = (savedIsa, savedThreads, savedKernel);
        }
    }
}
