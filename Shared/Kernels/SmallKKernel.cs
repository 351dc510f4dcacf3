using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>Everything one small-K call needs, shared by all parts (lives on the caller's stack).</summary>
internal unsafe struct SmallKJob
{
    public float* A; public nint Ars, Acs;   // op(A)[i, p] = A[i * Ars + p * Acs]
    public float* B; public nint Ldb;        // op(B)[p, j] = B[p * Ldb + j]: a row-major copy, rows 64-byte aligned
    public float* C;                         // M x N, row-major, dense
    public int M, N, K;
    public bool Load;                        // accumulate into C
    public GemmIsa Isa;
    public int Parts;
}

/// <summary>
/// GEMM for products with a short inner dimension, K ≤ 16 (the output layer's backward product
/// dH = dL·W2ᵀ: 100 x 10 x 100), and for one or two rows of any K reading an untransposed B in place (a single
/// image's forward pass): two rows of C at a time, each a whole column block of up to 7 (AVX-512) or
/// 6 vectors held in registers for all of K, op(B) copied once into rows of whole 64-byte lines.
/// </summary>
/// <remarks>
/// <para>Why: with K = 10 every C element is only ten FMAs, so what the blocked path does per tile (pack B into
/// panels, call a micro-kernel per 6 x 32 tile, route the zero-padded last panel and the last rows through a
/// copy) weighs as much as the arithmetic. Here op(B) (K x N, 4.5 KB for the network) is one row-major copy that
/// stays in L1 (rows padded to 64 bytes so that the vectors at multiples of 16 columns load from one cache line;
/// the copy also makes op(B) = Bᵀ row-major), C is written once, straight from the accumulators, and there are
/// no edge tiles: a row's last vector is
/// moved back to end at the row's last column, overlapping its neighbour. Overlapping lanes compute the
/// identical chain, and every load of a block (including C's, when accumulating) comes before its stores,
/// so they store identical values and no mask is needed. An odd last row runs alone.</para>
/// <para>Per k step: one load per vector of op(B)'s row, shared by the two rows, and one broadcast per row:
/// 7 loads feed 14 FMAs, and 14 independent chains cover the FMA latency.</para>
/// <para>Summation order: each lane is one C element's float chain from +0 (or the old C) through
/// fma(a[i, p], b[p, j], acc) for p ascending, as everywhere in <see cref="Gemm"/>, so results are bit-identical.</para>
/// </remarks>
internal static unsafe class SmallKKernel
{
    /// <summary>Longest K this kernel takes.</summary>
    public const int MaxK = 16;

    /// <summary>
    /// Products of at most this many rows (a single image's forward pass) read op(B) = B in place, unpacked, for any K:
    /// copying B would cost as much as the product itself (a 1 x 784 x 100 product was 21 µs through the blocked
    /// kernel's packing, most of it the copy).
    /// </summary>
    public const int RowsReadingBInPlace = 2;

    [ThreadStatic] private static ScratchBuffer? t_packedB;

    /// <summary>Vectors per row of a column block: 2 rows x 7 + one op(B) vector and two broadcasts fit AVX-512's 32
    /// registers; AVX2 and Vector128 have 16, so 2 x 6 + 1 + 2.</summary>
    private static int MaxVectors(GemmIsa isa) => isa == GemmIsa.Vector512 ? 7 : 6;

    private static int Width(GemmIsa isa) => isa switch { GemmIsa.Vector512 => 16, GemmIsa.Vector256 => 8, _ => 4 };

    /// <summary>Whether the kernel can compute the product at all: a vector tier, and rows of C at least one
    /// vector long (the last vector of a row is moved back inside the row).</summary>
    public static bool CanCompute(GemmIsa isa, int n) => isa != GemmIsa.Scalar && n >= Width(isa);

    /// <summary>
    /// Whether <see cref="Gemm.Multiply"/> should use this kernel: <see cref="CanCompute"/> and K ≤ <see cref="MaxK"/>.
    /// </summary>
    public static bool Applies(GemmIsa isa, int n, int k) => CanCompute(isa, n) && k <= MaxK;

    /// <summary>
    /// Whether <see cref="Gemm.Multiply"/> should use this kernel for a product of any K because it can read B where it
    /// is: at most <see cref="RowsReadingBInPlace"/> rows and B not transposed (with <see cref="CanCompute"/>).
    /// </summary>
    public static bool ReadsBInPlace(int m, bool transposeB) => m <= RowsReadingBInPlace && !transposeB;

    /// <summary>C (+)= op(A)·op(B) with this kernel; shapes already checked, M, N, K &gt; 0, N ≥ one vector.</summary>
    public static void Multiply(float* a, nint ars, nint acs, float* b, nint brs, nint bcs, float* c,
        int m, int n, int k, bool accumulate, GemmIsa isa)
    {
        // op(B) row-major with rows padded to 16 floats (K x N, 1/M of the work when K is this short); for one or two
        // rows of an untransposed B, B itself (a block's vectors never read past a row's last column).
        nint ldb = (n + 15) & ~15;
        float* bRows;
        if (bcs == 1 && m <= RowsReadingBInPlace)
        {
            bRows = b;
            ldb = brs;
        }
        else
        {
            bRows = (t_packedB ??= new ScratchBuffer()).Get<float>((nint)k * ldb);
            if (bcs != 1)
                PackTransposed(b, bcs, k, n, bRows, ldb);
            else
                for (int p = 0; p < k; p++)
                    new ReadOnlySpan<float>(b + p * brs, n).CopyTo(new Span<float>(bRows + p * ldb, n));
        }

        var job = new SmallKJob
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
        // Same break-even rule as the blocked kernel: the network's 100 x 10 x 100 (0.2 MFLOP) stays on one thread.
        job.Parts = Gemm.ChooseParts(m, n, k);
        if (job.Parts < 2 || !GemmThreading.TryRun(&RunPart, &job, job.Parts))
        {
            job.Parts = 1;
            RunPart(&job, 0);
        }
    }

    /// <summary>dst[p * ldd + j] = b[j * ldb + p]: B (n x k, row stride ldb) transposed, 8 x 8 at a time with AVX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* b, nint ldb, int k, int n, float* dst, nint ldd)
    {
        int j = 0;
        if (Avx.IsSupported)
        {
            for (; j + 8 <= n; j += 8)
            {
                int p = 0;
                for (; p + 8 <= k; p += 8)
                    GemmPacking.Transpose8x8(b + j * ldb + p, ldb, dst + p * ldd + j, ldd);
                for (; p < k; p++)
                    for (int r = j; r < j + 8; r++)
                        dst[p * ldd + r] = b[r * ldb + p];
            }
        }
        for (; j < n; j++)
            for (int p = 0; p < k; p++)
                dst[p * ldd + j] = b[j * ldb + p];
    }

    private static void RunPart(void* state, int part)
    {
        var job = (SmallKJob*)state;
        var (r0, r1) = GemmDriver.Split(job->M, 2, part, job->Parts);
        if (r0 >= r1)
            return;
        switch (job->Isa)
        {
            case GemmIsa.Vector512: Rows<Vec512Ops, Vector512<float>>(job, r0, r1); break;
            case GemmIsa.Vector256: Rows<Vec256Ops, Vector256<float>>(job, r0, r1); break;
            default: Rows<Vec128Ops, Vector128<float>>(job, r0, r1); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TOps, TVec>(SmallKJob* job, int r0, int r1) where TOps : IVecOps<TVec> where TVec : struct
    {
        int width = TOps.Width, n = job->N, maxWidth = MaxVectors(job->Isa) * width;
        for (int i = r0; i < r1; i += 2)
        {
            bool two = i + 1 < r1;
            float* a = job->A + i * job->Ars;
            float* c = job->C + (nint)i * n;
            for (int col0 = 0, w; col0 < n; col0 += w)
            {
                // Keep the last block at least one vector wide, so blocks never overlap (only vectors inside a block do).
                int rest = n - col0;
                w = rest <= maxWidth ? rest : rest - maxWidth < width ? maxWidth - width : maxWidth;
                if (two)
                    Block<TOps, TVec, Two>(a, job->Ars, job->Acs, job->B + col0, job->Ldb, job->K, c + col0, n, w, job->Load);
                else
                    Block<TOps, TVec, One>(a, job->Ars, job->Acs, job->B + col0, job->Ldb, job->K, c + col0, n, w, job->Load);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TOps, TVec, TR>(float* a, nint ars, nint acs, float* b, nint ldb, int k, float* c, nint ldc, int w, bool load)
        where TOps : IVecOps<TVec> where TVec : struct where TR : struct, IVectorCount
    {
        switch ((w + TOps.Width - 1) / TOps.Width)
        {
            case 1: Block<TOps, TVec, TR, One>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            case 2: Block<TOps, TVec, TR, Two>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            case 3: Block<TOps, TVec, TR, Three>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            case 4: Block<TOps, TVec, TR, Four>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            case 5: Block<TOps, TVec, TR, Five>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            case 6: Block<TOps, TVec, TR, Six>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
            default: Block<TOps, TVec, TR, Seven>(a, ars, acs, b, ldb, k, c, ldc, w, load); break;
        }
    }

    /// <summary>
    /// TR.Value (1 or 2) rows x a column block of width <paramref name="w"/> (at least one vector): TN.Value
    /// accumulators per row at columns min(j * width, w - width).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TOps, TVec, TR, TN>(float* a, nint ars, nint acs, float* b, nint ldb, int k, float* c, nint ldc, int w, bool load)
        where TOps : IVecOps<TVec> where TVec : struct where TR : struct, IVectorCount where TN : struct, IVectorCount
    {
        int width = TOps.Width, nv = TN.Value;
        bool two = TR.Value == 2;
        nint last = w - width;
        nint p1 = Math.Min(width, last), p2 = Math.Min(2 * width, last), p3 = Math.Min(3 * width, last);
        nint p4 = Math.Min(4 * width, last), p5 = Math.Min(5 * width, last), p6 = Math.Min(6 * width, last);
        float* c1 = c + ldc;
        TVec x0 = TOps.Zero, x1 = TOps.Zero, x2 = TOps.Zero, x3 = TOps.Zero, x4 = TOps.Zero, x5 = TOps.Zero, x6 = TOps.Zero;
        TVec y0 = TOps.Zero, y1 = TOps.Zero, y2 = TOps.Zero, y3 = TOps.Zero, y4 = TOps.Zero, y5 = TOps.Zero, y6 = TOps.Zero;
        if (load)
        {
            x0 = TOps.Load(c);
            if (nv > 1) x1 = TOps.Load(c + p1);
            if (nv > 2) x2 = TOps.Load(c + p2);
            if (nv > 3) x3 = TOps.Load(c + p3);
            if (nv > 4) x4 = TOps.Load(c + p4);
            if (nv > 5) x5 = TOps.Load(c + p5);
            if (nv > 6) x6 = TOps.Load(c + p6);
            if (two)
            {
                y0 = TOps.Load(c1);
                if (nv > 1) y1 = TOps.Load(c1 + p1);
                if (nv > 2) y2 = TOps.Load(c1 + p2);
                if (nv > 3) y3 = TOps.Load(c1 + p3);
                if (nv > 4) y4 = TOps.Load(c1 + p4);
                if (nv > 5) y5 = TOps.Load(c1 + p5);
                if (nv > 6) y6 = TOps.Load(c1 + p6);
            }
        }

        float* a1 = a + ars;
        nint off = 0;
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(b);
            TVec s = TOps.Broadcast(a[off]);
            TVec t = two ? TOps.Broadcast(a1[off]) : TOps.Zero;
            x0 = TOps.Fma(s, b0, x0);
            if (two) y0 = TOps.Fma(t, b0, y0);
            if (nv > 1) { TVec bj = TOps.Load(b + p1); x1 = TOps.Fma(s, bj, x1); if (two) y1 = TOps.Fma(t, bj, y1); }
            if (nv > 2) { TVec bj = TOps.Load(b + p2); x2 = TOps.Fma(s, bj, x2); if (two) y2 = TOps.Fma(t, bj, y2); }
            if (nv > 3) { TVec bj = TOps.Load(b + p3); x3 = TOps.Fma(s, bj, x3); if (two) y3 = TOps.Fma(t, bj, y3); }
            if (nv > 4) { TVec bj = TOps.Load(b + p4); x4 = TOps.Fma(s, bj, x4); if (two) y4 = TOps.Fma(t, bj, y4); }
            if (nv > 5) { TVec bj = TOps.Load(b + p5); x5 = TOps.Fma(s, bj, x5); if (two) y5 = TOps.Fma(t, bj, y5); }
            if (nv > 6) { TVec bj = TOps.Load(b + p6); x6 = TOps.Fma(s, bj, x6); if (two) y6 = TOps.Fma(t, bj, y6); }
            off += acs;
            b += ldb;
        }

        TOps.Store(c, x0);
        if (nv > 1) TOps.Store(c + p1, x1);
        if (nv > 2) TOps.Store(c + p2, x2);
        if (nv > 3) TOps.Store(c + p3, x3);
        if (nv > 4) TOps.Store(c + p4, x4);
        if (nv > 5) TOps.Store(c + p5, x5);
        if (nv > 6) TOps.Store(c + p6, x6);
        if (two)
        {
            TOps.Store(c1, y0);
            if (nv > 1) TOps.Store(c1 + p1, y1);
            if (nv > 2) TOps.Store(c1 + p2, y2);
            if (nv > 3) TOps.Store(c1 + p3, y3);
            if (nv > 4) TOps.Store(c1 + p4, y4);
            if (nv > 5) TOps.Store(c1 + p5, y5);
            if (nv > 6) TOps.Store(c1 + p6, y6);
        }
    }
}
