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
internal static unsafe class SmallNKernel
{
    /// <summary>Widest N this kernel takes.</summary>
    public const int MaxN = 16;

    /// <summary>k steps transposed at a time when op(A) = A: one 8 x 8 AVX transpose per 8 rows.</summary>
    private const int Chunk = 8;

    /// <summary>Small-N products from this many flops (2·M·N·K) are split over the cores. Lower than
    /// <see cref="Gemm.ParallelFlopThreshold"/>: there is no packing, and the parts claim row ranges one
    /// at a time, so a part that starts late (its core taken by another process) leaves most of its share to
    /// the others. Measured on 10000x100x10 (20 MFLOP, ~0.24 ms on
    /// one core): 2.0x on two idle cores, and with a busy loop holding the other core, the one-thread rate
    /// (no loss). The training step's 100x100x10 (0.2 MFLOP, a few microseconds) stays on one thread.</summary>
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
    /// <remarks>Measured with 10000 x 100 x N on one Zen 4 core, this kernel's rate over the blocked kernel's
    /// (both warmed up, alternating): AVX-512, op(A) = A: 2.2x at N = 1, 1.9x at 4, 1.5x at 8, 1.3x at 10,
    /// 1.15x at 12, 1.0x at 13-14, 0.75x at 16; op(A) = Aᵀ: 2.3x at N = 4, 1.45x at 10, 1.3x at 12-13,
    /// 1.15x at 14-15, 0.9x at 16. AVX2, op(A) = Aᵀ: 1.75x at N = 2, 1.3x at 10, 1.1x at 12, 0.9x at 13 (two
    /// groups); op(A) = A, packing the panel first: 1.0x at N = 10, and no better with the in-loop transpose
    /// (with its 16 registers the AVX2 tier could not hold it anyway). Vector128 was 0.8-1.2x: not used.</remarks>
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

    /// <summary>
    /// One block of V rows x TG.Value columns of C, of which rows [firstLane, rows) are stored. Column k of op(A)
    /// for the block is read at src + k * stride,
    /// or, with <paramref name="transpose"/>, taken from row-major A (src + l * stride + k, K ≥ 8) 8 columns at a
    /// time, transposed into one of two chunk buffers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<TOps, TVec, TG>(float* src, nint stride, bool transpose, float* chunks,
        float* b, nint ldb, int k, float* c, nint ldc, int firstLane, int rows, bool load, float* tile)
        where TOps : IVecOps<TVec> where TVec : struct where TG : struct, IVectorCount
    {
        int v = TOps.Width, g = TG.Value;
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        TVec c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c12 = TOps.Zero, c13 = TOps.Zero, c14 = TOps.Zero, c15 = TOps.Zero;
        if (load)
        {
            // Lane l of accumulator j starts as C[l, j]; lanes past the block's rows (M < V only) start at 0 and
            // are never stored.
            if (rows < v)
                new Span<float>(tile, g * v).Clear();
            for (int l = 0; l < rows; l++)
                RowIn<TG>(c + l * ldc, tile + l, v);
            c0 = TOps.Load(tile);
            if (g > 1) c1 = TOps.Load(tile + v);
            if (g > 2) c2 = TOps.Load(tile + 2 * v);
            if (g > 3) c3 = TOps.Load(tile + 3 * v);
            if (g > 4) c4 = TOps.Load(tile + 4 * v);
            if (g > 5) c5 = TOps.Load(tile + 5 * v);
            if (g > 6) c6 = TOps.Load(tile + 6 * v);
            if (g > 7) c7 = TOps.Load(tile + 7 * v);
            if (g > 8) c8 = TOps.Load(tile + 8 * v);
            if (g > 9) c9 = TOps.Load(tile + 9 * v);
            if (g > 10) c10 = TOps.Load(tile + 10 * v);
            if (g > 11) c11 = TOps.Load(tile + 11 * v);
            if (g > 12) c12 = TOps.Load(tile + 12 * v);
            if (g > 13) c13 = TOps.Load(tile + 13 * v);
            if (g > 14) c14 = TOps.Load(tile + 14 * v);
            if (g > 15) c15 = TOps.Load(tile + 15 * v);
        }

        // Chunk c holds columns [8c, 8c + 8) of the block, except that the last one is taken as the 8 columns
        // ending at K (overlapping its predecessor) so that every chunk is one full 8 x 8 transpose.
        if (transpose)
            TransposeChunk(src, stride, v, chunks);
        for (int p0 = 0, chunk = 0; p0 < k; p0 += Chunk, chunk++)
        {
            float* x;
            nint xs;
            if (!transpose)
            {
                x = src + p0 * stride;
                xs = stride;
            }
            else
            {
                // Double buffered: this chunk was transposed one chunk ago, and the next one is transposed now,
                // so the FMAs never load a line whose stores are still in flight (a load that spans two pending
                // stores cannot be forwarded and stalls: one buffer measured 30% slower than two, and slower
                // than packing the whole panel first).
                x = chunks + (chunk & 1) * Chunk * v + (p0 - Math.Min(p0, k - Chunk)) * v;
                xs = v;
                if (p0 + Chunk < k)
                    TransposeChunk(src + Math.Min(p0 + Chunk, k - Chunk), stride, v, chunks + ((chunk + 1) & 1) * Chunk * v);
            }
            float* bp = b + p0 * ldb;
            int steps = Math.Min(Chunk, k - p0);
            for (int q = 0; q < steps; q++)
            {
                TVec a = TOps.Load(x);
                c0 = TOps.Fma(a, TOps.Broadcast(bp[0]), c0);
                if (g > 1) c1 = TOps.Fma(a, TOps.Broadcast(bp[1]), c1);
                if (g > 2) c2 = TOps.Fma(a, TOps.Broadcast(bp[2]), c2);
                if (g > 3) c3 = TOps.Fma(a, TOps.Broadcast(bp[3]), c3);
                if (g > 4) c4 = TOps.Fma(a, TOps.Broadcast(bp[4]), c4);
                if (g > 5) c5 = TOps.Fma(a, TOps.Broadcast(bp[5]), c5);
                if (g > 6) c6 = TOps.Fma(a, TOps.Broadcast(bp[6]), c6);
                if (g > 7) c7 = TOps.Fma(a, TOps.Broadcast(bp[7]), c7);
                if (g > 8) c8 = TOps.Fma(a, TOps.Broadcast(bp[8]), c8);
                if (g > 9) c9 = TOps.Fma(a, TOps.Broadcast(bp[9]), c9);
                if (g > 10) c10 = TOps.Fma(a, TOps.Broadcast(bp[10]), c10);
                if (g > 11) c11 = TOps.Fma(a, TOps.Broadcast(bp[11]), c11);
                if (g > 12) c12 = TOps.Fma(a, TOps.Broadcast(bp[12]), c12);
                if (g > 13) c13 = TOps.Fma(a, TOps.Broadcast(bp[13]), c13);
                if (g > 14) c14 = TOps.Fma(a, TOps.Broadcast(bp[14]), c14);
                if (g > 15) c15 = TOps.Fma(a, TOps.Broadcast(bp[15]), c15);
                x += xs;
                bp += ldb;
            }
        }

        TOps.Store(tile, c0);
        if (g > 1) TOps.Store(tile + v, c1);
        if (g > 2) TOps.Store(tile + 2 * v, c2);
        if (g > 3) TOps.Store(tile + 3 * v, c3);
        if (g > 4) TOps.Store(tile + 4 * v, c4);
        if (g > 5) TOps.Store(tile + 5 * v, c5);
        if (g > 6) TOps.Store(tile + 6 * v, c6);
        if (g > 7) TOps.Store(tile + 7 * v, c7);
        if (g > 8) TOps.Store(tile + 8 * v, c8);
        if (g > 9) TOps.Store(tile + 9 * v, c9);
        if (g > 10) TOps.Store(tile + 10 * v, c10);
        if (g > 11) TOps.Store(tile + 11 * v, c11);
        if (g > 12) TOps.Store(tile + 12 * v, c12);
        if (g > 13) TOps.Store(tile + 13 * v, c13);
        if (g > 14) TOps.Store(tile + 14 * v, c14);
        if (g > 15) TOps.Store(tile + 15 * v, c15);
        for (int l = firstLane; l < rows; l++)
            RowOut<TG>(tile + l, v, c + l * ldc);
    }

    // The tile transposes, one row of C at a time, unrolled: TG.Value is a constant to the JIT, so each is g
    // scalar load/store pairs at fixed offsets. As a loop over j the copy-out was a fifth of the kernel's time at
    // 100x100x10 (a dozen instructions per element); unrolled it is two.

    /// <summary>t[j * v] = c[j] for j &lt; TG.Value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowIn<TG>(float* c, float* t, nint v) where TG : struct, IVectorCount
    {
        int g = TG.Value;
        t[0] = c[0];
        if (g > 1) t[v] = c[1];
        if (g > 2) t[2 * v] = c[2];
        if (g > 3) t[3 * v] = c[3];
        if (g > 4) t[4 * v] = c[4];
        if (g > 5) t[5 * v] = c[5];
        if (g > 6) t[6 * v] = c[6];
        if (g > 7) t[7 * v] = c[7];
        if (g > 8) t[8 * v] = c[8];
        if (g > 9) t[9 * v] = c[9];
        if (g > 10) t[10 * v] = c[10];
        if (g > 11) t[11 * v] = c[11];
        if (g > 12) t[12 * v] = c[12];
        if (g > 13) t[13 * v] = c[13];
        if (g > 14) t[14 * v] = c[14];
        if (g > 15) t[15 * v] = c[15];
    }

    /// <summary>c[j] = t[j * v] for j &lt; TG.Value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowOut<TG>(float* t, nint v, float* c) where TG : struct, IVectorCount
    {
        int g = TG.Value;
        c[0] = t[0];
        if (g > 1) c[1] = t[v];
        if (g > 2) c[2] = t[2 * v];
        if (g > 3) c[3] = t[3 * v];
        if (g > 4) c[4] = t[4 * v];
        if (g > 5) c[5] = t[5 * v];
        if (g > 6) c[6] = t[6 * v];
        if (g > 7) c[7] = t[7 * v];
        if (g > 8) c[8] = t[8 * v];
        if (g > 9) c[9] = t[9 * v];
        if (g > 10) c[10] = t[10 * v];
        if (g > 11) c[11] = t[11 * v];
        if (g > 12) c[12] = t[12 * v];
        if (g > 13) c[13] = t[13 * v];
        if (g > 14) c[14] = t[14 * v];
        if (g > 15) c[15] = t[15 * v];
    }

    /// <summary>
    /// Columns [0, 8) of <paramref name="v"/> (8 or 16) rows of row-major A (row stride <paramref name="lda"/>)
    /// into dst as 8 rows of v floats: dst[p * v + l] = a[l * lda + p]. Callers check <see cref="Avx.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeChunk(float* a, nint lda, int v, float* dst)
    {
        GemmPacking.Transpose8x8(a, lda, dst, v);
        if (v == 16)
            GemmPacking.Transpose8x8(a + 8 * lda, lda, dst + 8, v);
    }

    /// <summary>
    /// <paramref name="rows"/> (≤ v) rows x <paramref name="k"/> columns of op(A) into dst[p * v + l], zero rows
    /// below: with AVX and full row-major blocks 8 x 8 at a time, else element by element (edge blocks, other CPUs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(float* a, nint ars, nint acs, int rows, int k, int v, float* dst)
    {
        int p = 0;
        if (rows == v && acs == 1 && v >= 8 && Avx.IsSupported)
        {
            for (; p + Chunk <= k; p += Chunk)
                TransposeChunk(a + p, ars, v, dst + p * v);
        }
        for (; p < k; p++)
        {
            float* d = dst + p * v;
            for (int l = 0; l < v; l++)
                d[l] = l < rows ? a[l * ars + p * acs] : 0f;
        }
    }
}
