namespace TfMnist.Kernels;

/// <summary>
/// Fast single-precision matrix product for row-major matrices: <c>C = op(A) · op(B)</c>, or
/// <c>C += op(A) · op(B)</c> with <c>accumulate</c>.
/// </summary>
/// <remarks>
/// <para>Shapes: A is stored <c>aRows x aCols</c>; op(A) is A, or Aᵀ when <c>transposeA</c>, and is M x K.
/// Likewise B is stored <c>bRows x bCols</c> and op(B) is K x N. C is M x N, dense row-major (row stride N);
/// only its first M * N elements are touched. C must not overlap A or B. Without <c>accumulate</c> C's old
/// contents are never read.</para>
/// <para>Numerics: every C element is computed as one float accumulator (starting at +0, or at the old C when
/// accumulating) updated by a fused multiply-add for k = 0, 1, ..., K-1 in order. That order does not depend on
/// the SIMD tier, the thread count or the blocking, so all dense paths (AVX-512, AVX2, Vector128, scalar; blocked,
/// narrow and short kernels) return bit-identical results, Inf and NaN included. <see cref="MultiplySparseLeft"/>
/// gives the same bits too, but for the sign of a zero in one corner case (see its remarks).</para>
/// <para>Performance: register-blocked 6 x 32 (AVX-512) / 6 x 16 (AVX2) micro-kernels, B panels packed when
/// useful; narrow products (N up to 12-15) use <see cref="SmallNKernel"/> and short ones (K ≤ 16), or those of one
/// or two rows with B untransposed (read in place, any K), <see cref="SmallKKernel"/> instead (the output layer's products, see <see cref="ChooseKernel"/>); rows split over
/// <see cref="Environment.ProcessorCount"/> threads of a persistent pool when the product is large enough. No allocation per call in steady state. Thread-safe; concurrent callers
/// run single-threaded while the pool is busy.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Products smaller than this many flops (2·M·N·K) run on the calling thread. The 15.7 MFLOP training-step
    /// shapes gain from two threads because helpers claim parts when idle (figures: tests/Bench/README.md). The network's
    /// own small products take other paths (sparse, narrow) whose flop estimates stay below this.</summary>
    internal const long ParallelFlopThreshold = 12_000_000;

    // Thread-static so that tests running in parallel can force different paths without interfering;
    // the choice is made on the calling thread and carried to the workers in the job.
    [ThreadStatic] private static GemmIsa? t_forceIsa;
    [ThreadStatic] private static int? t_forceThreads;
    [ThreadStatic] private static GemmKernel? t_forceKernel;

    /// <summary>Test/benchmark switch for the calling thread: force a SIMD tier (null = best the hardware runs natively).</summary>
    internal static GemmIsa? ForceIsa { get => t_forceIsa; set => t_forceIsa = value; }

    /// <summary>Test/benchmark switch for the calling thread: force the number of parts (null = automatic).</summary>
    internal static int? ForceThreads { get => t_forceThreads; set => t_forceThreads = value; }

    /// <summary>Test/benchmark switch for the calling thread: run this kernel for every vector-tier product it can
    /// compute (<see cref="GemmKernel"/>), the blocked one otherwise (null = the automatic choice).</summary>
    internal static GemmKernel? ForceKernel { get => t_forceKernel; set => t_forceKernel = value; }

    internal static GemmIsa Isa => ForceIsa ?? GemmIsaDetect.Best;

    [ThreadStatic] private static ScratchBuffer? t_packedB;

    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>. See the class remarks.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int aRows, int aCols, bool transposeA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB,
        Span<float> c, bool accumulate = false)
    {
        if (!Prologue(a, aRows, aCols, transposeA, b, bRows, bCols, transposeB, c, accumulate, out int m, out int n, out int k))
            return;

        GemmIsa isa = Isa;
        fixed (float* pa = a, pb = b, pc = c)
        {
            nint ars = transposeA ? 1 : aCols, acs = transposeA ? aCols : 1;
            nint brs = transposeB ? 1 : bCols, bcs = transposeB ? bCols : 1;
            if (isa == GemmIsa.Scalar)
            {
                MicroKernel.Scalar(pa, ars, acs, pb, brs, bcs, pc, m, n, k, accumulate, skipZeros: false);
                return;
            }
            KernelProbe.Took(KernelProbe.Path.VectorGemm);

            switch (ChooseKernel(isa, m, n, k, transposeA, transposeB))
            {
                case GemmKernel.SmallN:
                    SmallNKernel.Multiply(pa, ars, acs, pb, brs, bcs, pc, m, n, k, accumulate, isa);
                    return;
                case GemmKernel.SmallK:
                    SmallKKernel.Multiply(pa, ars, acs, pb, brs, bcs, pc, m, n, k, accumulate, isa);
                    return;
            }

            int vec = isa switch { GemmIsa.Vector512 => 16, GemmIsa.Vector256 => 8, _ => 4 };
            var job = new GemmJob
            {
                A = pa,
                Ars = ars,
                Acs = acs,
                B = pb,
                Brs = brs,
                Bcs = bcs,
                C = pc,
                M = m,
                N = n,
                K = k,
                Load = accumulate,
                Isa = isa,
            };
            job.PackedB = (t_packedB ??= new ScratchBuffer()).Get<float>(GemmPacking.PackedSize(n, k, vec));
            job.Parts = ChooseParts(m, n, k);
            // One part per thread; each claims packing and row pieces until none are left (see GemmDriver.RunPart).
            if (job.Parts < 2 || !GemmThreading.TryRun(&GemmDriver.RunPart, &job, job.Parts))
                GemmDriver.RunPart(&job, 0);
        }
    }

    /// <summary>Which vector-tier kernel computes a product (see each kernel's Applies for the rule).</summary>
    internal static GemmKernel ChooseKernel(GemmIsa isa, int m, int n, int k, bool transposeA, bool transposeB = false)
    {
        bool smallN = n <= SmallNKernel.MaxN, smallK = SmallKKernel.CanCompute(isa, n);
        return ForceKernel switch
        {
            GemmKernel.SmallN when smallN => GemmKernel.SmallN,
            GemmKernel.SmallK when smallK => GemmKernel.SmallK,
            not null => GemmKernel.Blocked,
            null when smallN && SmallNKernel.Applies(isa, m, n, k, transposeA) => GemmKernel.SmallN,
            null when smallK && (SmallKKernel.Applies(isa, n, k) || SmallKKernel.ReadsBInPlace(m, transposeB)) => GemmKernel.SmallK,
            _ => GemmKernel.Blocked,
        };
    }

    internal static int ChooseParts(int m, int n, int k)
    {
        int rowBlocks = (m + MicroKernel.MR - 1) / MicroKernel.MR;
        int parts = ForceThreads ?? (2L * m * n * k >= ParallelFlopThreshold ? GemmThreading.ThreadCount : 1);
        return Math.Clamp(Math.Min(parts, rowBlocks), 1, GemmThreading.ThreadCount);
    }

    /// <summary>Validates dimensions and buffer lengths; returns (M, N, K) of the product.</summary>
    /// <summary>
    /// Checks the shapes and handles the empty products (nothing to do, or C = 0 when K is 0);
    /// false when the caller has nothing left to compute. Shared by the dense and sparse entries.
    /// </summary>
    private static bool Prologue(ReadOnlySpan<float> a, int aRows, int aCols, bool transposeA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB, Span<float> c, bool accumulate,
        out int m, out int n, out int k)
    {
        (m, n, k) = CheckShapes(a.Length, aRows, aCols, transposeA, b.Length, bRows, bCols, transposeB, c.Length);
        if (m == 0 || n == 0)
            return false;
        if (k == 0)
        {
            if (!accumulate)
                c[..(m * n)].Clear();
            return false;
        }
        return true;
    }

    internal static (int M, int N, int K) CheckShapes(int aLength, int aRows, int aCols, bool transposeA,
        int bLength, int bRows, int bCols, bool transposeB, int cLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aRows);
        ArgumentOutOfRangeException.ThrowIfNegative(aCols);
        ArgumentOutOfRangeException.ThrowIfNegative(bRows);
        ArgumentOutOfRangeException.ThrowIfNegative(bCols);
        int m = transposeA ? aCols : aRows, ka = transposeA ? aRows : aCols;
        int kb = transposeB ? bCols : bRows, n = transposeB ? bRows : bCols;
        if (ka != kb)
            throw new ArgumentException($"Inner dimensions differ: op(A) is {m}x{ka}, op(B) is {kb}x{n}.");
        if ((long)aRows * aCols > aLength)
            throw new ArgumentException($"A holds {aLength} elements, fewer than {aRows}x{aCols}.", "a");
        if ((long)bRows * bCols > bLength)
            throw new ArgumentException($"B holds {bLength} elements, fewer than {bRows}x{bCols}.", "b");
        if ((long)m * n > cLength)
            throw new ArgumentException($"C holds {cLength} elements, fewer than {m}x{n}.", "c");
        return (m, n, ka);
    }
}

/// <summary>The vector-tier kernels of <see cref="Gemm.Multiply"/>; all give the same bits.</summary>
internal enum GemmKernel
{
    /// <summary>Register-blocked 6 x 2-vector micro-kernels over packed B panels (<see cref="GemmDriver"/>).</summary>
    Blocked,
    /// <summary>Vectors down C's columns, for N ≤ 16 (<see cref="SmallNKernel"/>).</summary>
    SmallN,
    /// <summary>Two whole rows of C in registers per column block, for short K (<see cref="SmallKKernel"/>).</summary>
    SmallK,
}
