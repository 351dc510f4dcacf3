using System.Diagnostics;
using TfMnist.Data;
using TfMnist.Kernels;

namespace TfMnist.Bench;

/// <summary>
/// The sparse-left GEMM on the real binarised test images (random images overlap less than digits do):
/// single rows against row pairs, alternating, min and median per variant.
/// </summary>
internal static class SparseBench
{
    public static void Run(string dataDir, int reps, int? threads)
    {
        var data = MnistDataSets.ReadDataSets(dataDir, seed: 1, download: new MnistDownloadOptions { Enabled = false });
        int m = data.Test.NumExamples, k = 784, n = 100;
        var a = data.Test.Images.ToArray();
        for (int i = 0; i < a.Length; i++) a[i] = MathF.Round(a[i], MidpointRounding.ToEven);
        var rng = new Random(3);
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var c = new float[m * n];
        double flops = 2.0 * m * n * k;
        Gemm.ForceThreads = threads;
        bool pairRows = SparseRows.PairRows;
        var times = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (int r = 0; r < reps + 3; r++)
            foreach (bool pairs in new[] { true, false })
            {
                SparseRows.PairRows = pairs;
                long t0 = Stopwatch.GetTimestamp();
                Gemm.MultiplySparseLeft(a, m, k, false, b, k, n, false, c);
                if (r >= 3) times[pairs].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        SparseRows.PairRows = pairRows;
        // The network's fused Round-into-MatMul on the raw images: what a test pass runs (ten rows stored).
        var raw = data.Test.Images.ToArray();
        var rounded = new float[m * k];
        var fused = new List<double>();
        for (int r = 0; r < reps + 3; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Gemm.MultiplySparseLeftRounding(raw, m, k, rounded, 10, b, k, n, false, c);
            if (r >= 3) fused.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        fused.Sort();
        Console.WriteLine($"SPARSE test fwd {m}x{k}x{n} Round(raw images) fused, 10 rows stored: min {fused[0]:F2} ms median {fused[fused.Count / 2]:F2} ms");
        Gemm.ForceThreads = null;
        foreach (var (pairs, list) in times)
        {
            list.Sort();
            Console.WriteLine($"SPARSE test fwd {m}x{k}x{n} real images, {(pairs ? "row pairs " : "single rows")}: min {list[0]:F2} ms " +
                $"median {list[list.Count / 2]:F2} ms ({flops / list[0] / 1e6:F0} dense-equivalent GF/s at best)");
        }
    }
}
