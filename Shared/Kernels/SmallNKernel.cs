using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>Everything one small-N call needs, shared by all parts (lives on the caller's stack).</summary>
internal unsafe struct SmallNJob
{
    public float* A; public nint Ars, Acs;   // op(A)[i, p] = A[i * Ars + p * Acs]
    public float* B; public nint Ldb;        // op(B)[p, j] = B[p * Ldb + j]: B itself, or Bᵀ packed row-major
    public float* C;                         // M x N, row-major, dense
    public int M, N, K;
    public bool Load;                        // accumulate into C
    public GemmIsa Isa;
    public int Pieces;                       // row ranges (whole vectors of rows) that the parts claim in turn
    public int Claimed;
}

/// <summary>
/// GEMM for narrow products, N ≤ 16 (the output layer: H·W2 with N = 10, and its weight gradient Hᵀ·dL).
/// Vectors run down the columns of C instead of along its rows: a block of V rows of C (V = 16 floats for
/// AVX-512, 8 for AVX2, 4 for Vector128) is held as one accumulator per column, and each k step is one load of
/// column k of op(A) for those V rows, then, per column j, a broadcast of op(B)[k, j] and one FMA.
/// </summary>
/// <remarks>
/// <para>Why: the blocked kernels put C's row in the vector lanes, so N = 10 fills 10 of 16 lanes, and the
/// machine this is tuned on (Zen 4, one 512-bit FMA per cycle) already ran that near the resulting ceiling
/// (64 of about 72 GF/s at 10000x100x10; 115 GF/s with full lanes): the only way to go much faster is to fill
/// the lanes. Down the columns every lane is a row of C, so all lanes are
/// useful whenever M is large, whatever N is. The cost is that op(A)'s column k must arrive as a vector:
/// with op(A) = Aᵀ (the weight gradient) it is contiguous in memory and read in place; with op(A) = A
/// (the forward product, A row-major M x K) the V x K block is transposed on the way in, 8 x 8 at a time
/// with AVX shuffles (AVX2 gathers measured several times slower). op(B) is tiny (K x 16 at most) and stays in
/// L1; its elements are broadcast straight from memory (the JIT folds them into the FMA as {1to16} operands).</para>
/// <para>Summation order, as everywhere in <see cref="Gemm"/>: lane l of accumulator j is C[i0 + l, j0 + j],
/// one float chain starting at +0 (or the old C) and updated by fma(a[i, k], b[k, j], acc) for k ascending.
/// How A is transposed, how rows are split over threads and which lanes are padding do not enter the chain,
/// so the results are bit-identical to the blocked kernels, the scalar tier and <see cref="GemmReference"/>'s
/// fused-chain definition.</para>
/// <para>Latency: at least 4 (AVX-512) / 8 (AVX2) independent FMA chains are needed to keep Zen 4's pipes
/// busy; a column group of N accumulators gives N chains, so N ≥ 4 runs at full rate and N = 1..3 is latency
/// bound, still ahead of the blocked kernel, which wastes 15 of 16 lanes there.</para>
/// <para>C goes in and out through a small V x N tile: accumulators are stored, then copied transposed into C
/// (and the other way when accumulating), unrolled per row of C. That is N·V scalar moves per block against
/// K·N vector FMAs, a few percent of the time at K = 100 (profiled); the kernel is not used when K is tiny
/// (see <see cref="Applies"/>).</para>
/// </remarks>
internal static unsafe partial class SmallNKernel
{
    /// <summary>Widest N this kernel takes.</summary>
    public const int MaxN = 16;

    /// <summary>k steps transposed at a time when op(A) = A: one 8 x 8 AVX transpose per 8 rows.</summary>
    private const int Chunk = 8;

    /// <summary>Small-N products from this many flops (2·M·N·K) are split over the cores. Lower than
    /// <see cref="Gemm.ParallelFlopThreshold"/>: there is no packing, and the parts claim row ranges one
    /// at a time, so a part that starts late (its core taken by another process) leaves most of its share to
    /// the others (no loss when the other core is busy: tests/Bench/README.md). The training step's 100x100x10
    /// (0.2 MFLOP, a few microseconds) stays on one thread.</summary>
    internal const long ParallelFlopThreshold = 8_000_000;

    /// <summary>Row ranges per part: enough that a late part costs little, few enough that claiming is free.</summary>
    private const int PiecesPerPart = 8;

    [ThreadStatic] private static ScratchBuffer? t_packedB;
    [ThreadStatic] private static ScratchBuffer? t_panel;

    /// <summary>Rows of C per vector for a tier.</summary>
    public static int Width(GemmIsa isa) => isa switch { GemmIsa.Vector512 => 16, GemmIsa.Vector256 => 8, _ => 4 };

    /// <summary>
    /// Accumulators (columns of C) kept in registers at once. AVX-512 has 32 vector registers: 16 accumulators,
    /// the A column and the transpose's temporaries fit. AVX2 and Vector128 have 16: 12 accumulators, the A
    /// column and a broadcast; wider N is done in two column groups, each reading the packed A panel again.
    /// </summary>
    private static int MaxGroup(int width) => width == 16 ? 16 : 12;

    /// <summary>
    /// Whether <see cref="Gemm.Multiply"/> should use this kernel: the AVX-512 or AVX2 tier; M at least one vector
    /// of rows; K ≥ 8 (below that the transposes of C through the tile outweigh the FMAs); one column group
    /// (N ≤ 16 with AVX-512, 12 with AVX2); and then, with op(A) = Aᵀ (columns read in place), N &lt; 16, where the
    /// blocked kernel leaves lanes idle; with op(A) = A only on AVX-512, which transposes A inside the k loop, and
    /// only for N ≤ 12, where the blocked kernel leaves at least a quarter of its 16 lanes idle.
    /// </summary>
    /// <remarks>The bounds are where this kernel's rate over the blocked kernel's fell to about 1x on 10000 x 100 x N
    /// (the table per tier and transpose: tests/Bench/README.md); AVX2 with op(A) = A gained nothing (its 16
    /// registers cannot hold the in-loop transpose), and Vector128 is not used.</remarks>
    public static bool Applies(GemmIsa isa, int m, int n, int k, bool transposeA)
    {
        if (isa is not (GemmIsa.Vector512 or GemmIsa.Vector256))
            return false;
        int width = Width(isa);
        if (n > MaxGroup(width) || m < width || k < Chunk)
            return false;
        return transposeA ? n < MaxN : isa == GemmIsa.Vector512 && Avx.IsSupported && n <= 12;
    }

    /// <summary>C (+)= op(A)·op(B) with this kernel; shapes already checked, M, N, K &gt; 0, N ≤ 16.</summary>
    public static void Multiply(float* a, nint ars, nint acs, float* b, nint brs, nint bcs, float* c,
        int m, int n, int k, bool accumulate, GemmIsa isa)
    {
        // op(B) row-major: a non-transposed B already is (row stride N); Bᵀ is copied, at most 16·K floats.
        float* bRows = b;
        nint ldb = brs;
        if (bcs != 1)
        {
            bRows = (t_packedB ??= new ScratchBuffer()).Get<float>((nint)k * n);
            PackB(b, brs, bcs, k, n, bRows);
            ldb = n;
        }

        var job = new SmallNJob
        {
            A = a,
            Ars = ars,
            Acs = acs,
            B = bRows,
            Ldb = ldb,
            C = c,
            M = m,
            N = n,
            K = k,
            Load = accumulate,
            Isa = isa,
        };
        int width = Width(isa), blocks = (m + width - 1) / width;
        int parts = Gemm.ForceThreads ?? (2L * m * n * k >= ParallelFlopThreshold ? GemmThreading.ThreadCount : 1);
        parts = Math.Clamp(Math.Min(parts, blocks), 1, GemmThreading.ThreadCount);
        job.Pieces = Math.Min(blocks, parts == 1 ? 1 : parts * PiecesPerPart);
        if (parts < 2 || !GemmThreading.TryRun(&RunPart, &job, parts))
            RunPart(&job, 0);
    }

    // Loops that run on every call are compiled optimised at once (AggressiveOptimization): as Tier-0 code, for
    // the first calls of a process, the element-by-element loops ran several times slower than the FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, nint brs, nint bcs, int k, int n, float* dst)
    {
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                dst[(nint)p * n + j] = b[p * brs + j * bcs];
    }

    private static void RunPart(void* state, int part)
    {
        var job = (SmallNJob*)state;
        switch (job->Isa)
        {
            case GemmIsa.Vector512: Claim<Vec512Ops, Vector512<float>>(job); break;
            case GemmIsa.Vector256: Claim<Vec256Ops, Vector256<float>>(job); break;
            default: Claim<Vec128Ops, Vector128<float>>(job); break;
        }
    }

    /// <summary>Runs row ranges until none is left. Which part runs which range does not change any result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Claim<TOps, TVec>(SmallNJob* job) where TOps : IVecOps<TVec> where TVec : struct
    {
        for (int piece; (piece = Interlocked.Increment(ref job->Claimed) - 1) < job->Pieces;)
        {
            var (r0, r1) = GemmDriver.Split(job->M, TOps.Width, piece, job->Pieces);
            if (r0 < r1)
                Rows<TOps, TVec>(job, r0, r1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void Rows<TOps, TVec>(SmallNJob* job, int rowStart, int rowEnd) where TOps : IVecOps<TVec> where TVec : struct
    {
        int v = TOps.Width, n = job->N, k = job->K, maxGroup = MaxGroup(v);
        int groups = (n + maxGroup - 1) / maxGroup;
        // The buffers live here, not in the kernel: with a stackalloc there (a call to zero it, around which the
        // JIT spilled every accumulator on every k step) a prototype ran 3x slower. 64-byte aligned, so no
        // vector load of them straddles two cache lines.
        float* buffers = stackalloc float[16 * MaxN + 2 * Chunk * 16 + 16];
        float* tile = (float*)(((nint)buffers + 63) & ~(nint)63);
        float* chunks = tile + 16 * MaxN;
        float* panel = null;
        // Transposing inside the k loop needs AVX for the shuffles and the 32 registers of AVX-512 to hold the
        // transpose's temporaries next to the accumulators (up to 16: one column group); AVX2 and Vector128 pack
        // the whole V x K panel first instead, which measured slower than the blocked kernel (see Applies).
        bool inKernel = v == 16 && Avx.IsSupported && groups == 1 && job->Acs == 1 && k >= Chunk;

        for (int next = rowStart; next < rowEnd; next += v)
        {
            // A last block of fewer than V rows is moved back to end at the last row, overlapping the block before
            // it (possibly another part's: it only reads those rows); only lanes [firstLane, V) are stored. The
            // recomputed lanes are discarded, so accumulating is safe too. Packing a zero-padded edge panel
            // instead made the 100-row products about 15% slower. Only with M < V is a block really partial.
            int i0 = next, rows = Math.Min(v, rowEnd - next), firstLane = 0;
            if (rows < v && rowEnd >= v)
            {
                i0 = rowEnd - v;
                firstLane = v - rows;
                rows = v;
            }
            float* a = job->A + i0 * job->Ars;
            float* src;
            nint stride;
            bool transpose = false;
            if (rows == v && job->Ars == 1)
            {
                // op(A) = Aᵀ: column k of the block is V consecutive floats of stored row k.
                src = a;
                stride = job->Acs;
            }
            else if (rows == v && inKernel)
            {
                // op(A) = A: the kernel transposes it 8 columns at a time.
                transpose = true;
                src = a;
                stride = job->Ars;
            }
            else
            {
                panel = panel != null ? panel : (t_panel ??= new ScratchBuffer()).Get<float>((nint)k * v);
                PackPanel(a, job->Ars, job->Acs, rows, k, v, panel);
                src = panel;
                stride = v;
            }

            float* b = job->B;
            float* c = job->C + (nint)i0 * n;
            for (int g = 0, j0 = 0; g < groups; g++)
            {
                // Near-equal groups (14 = 7 + 7, not 12 + 2): both stay above the chain count latency needs.
                int j1 = (int)((long)n * (g + 1) / groups);
                Group<TOps, TVec>(j1 - j0, src, stride, transpose, chunks, b + j0, job->Ldb, k, c + j0, n, firstLane, rows, job->Load, tile);
                j0 = j1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<TOps, TVec>(int g, float* src, nint stride, bool transpose, float* chunks,
        float* b, nint ldb, int k, float* c, nint ldc, int firstLane, int rows, bool load, float* tile)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        switch (g)
        {
            case 1: Kernel<TOps, TVec, One>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 2: Kernel<TOps, TVec, Two>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 3: Kernel<TOps, TVec, Three>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 4: Kernel<TOps, TVec, Four>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 5: Kernel<TOps, TVec, Five>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 6: Kernel<TOps, TVec, Six>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 7: Kernel<TOps, TVec, Seven>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 8: Kernel<TOps, TVec, Eight>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 9: Kernel<TOps, TVec, Nine>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 10: Kernel<TOps, TVec, Ten>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 11: Kernel<TOps, TVec, Eleven>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 12: Kernel<TOps, TVec, Twelve>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 13: Kernel<TOps, TVec, Thirteen>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 14: Kernel<TOps, TVec, Fourteen>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            case 15: Kernel<TOps, TVec, Fifteen>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
            default: Kernel<TOps, TVec, Sixteen>(src, stride, transpose, chunks, b, ldb, k, c, ldc, firstLane, rows, load, tile); break;
        }
    }
}
