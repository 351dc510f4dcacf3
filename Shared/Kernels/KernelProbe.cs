namespace TfMnist.Kernels;

/// <summary>
/// Counts, per thread, the fast paths kernels and the runtime take, so a test can tell which paths a run took
/// instead of hoping: a reference session (<see cref="KernelPolicy.Reference"/>) runs every step on its calling
/// thread and must leave these at zero there. One thread-static increment per kernel call, not per element.
/// </summary>
public static class KernelProbe
{
    /// <summary>The fast paths counted.</summary>
    public enum Path
    {
        /// <summary>A fused plan step ran (elementwise loop, Round-into-MatMul, ReLU histogram pair).</summary>
        FusedStep,
        /// <summary>A sparse-left product skipped zeros of A.</summary>
        SparseProduct,
        /// <summary>A dense GEMM ran on a vector tier rather than the scalar one.</summary>
        VectorGemm,
        /// <summary>A kernel forked its parts out to helper threads.</summary>
        ForkJoin,
        /// <summary>A sum ran in vector lanes (a summation order other than the sequential one).</summary>
        VectorSum,
        /// <summary>A row kernel ran its rows in vector lanes with approximated exp and log (softmax cross-entropy).</summary>
        LanePerRow,
        /// <summary>A plan ran independent steps on several threads.</summary>
        ParallelPlan,
    }

    private static readonly int PathCount = Enum.GetValues<Path>().Length;

    [ThreadStatic] private static long[]? t_counts;

    /// <summary>How often the calling thread took <paramref name="path"/>.</summary>
    public static long Count(Path path) => t_counts?[(int)path] ?? 0;

    internal static void Took(Path path) => (t_counts ??= new long[PathCount])[(int)path]++;
}
