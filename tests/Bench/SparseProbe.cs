using System.Diagnostics;
using TfMnist.Kernels;

namespace TfMnist.Bench;

internal static class SparseProbe
{
    public static void Run()
    {
        var rng = new Random(1);
        int m = 10000, k = 784, n = 100;
        var a = new float[m * k];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() < 0.19 ? 1f : 0f;
        var b = new float[k * n];
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble();
        var c1 = new float[m * n];
        var c2 = new float[m * n];
        foreach (int threads in new[] { 1, 2 })
        {
            Gemm.ForceThreads = threads;
            var dense = Stats.Sample(20, () => Gemm.Multiply(a, m, k, false, b, k, n, false, c1), 5);
            var sparse = Stats.Sample(20, () => Gemm.MultiplySparseLeft(a, m, k, false, b, k, n, false, c2), 5);
            Console.WriteLine($"threads={threads} dense_ms={Stats.Median(dense):F2} sparse_ms={Stats.Median(sparse):F2} identical={c1.AsSpan().SequenceEqual(c2)}");
        }
        Gemm.ForceThreads = null;
    }
}
