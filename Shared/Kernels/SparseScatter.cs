using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>
/// Sparse-left GEMM with op(A) = Aᵀ, i.e. C = Aᵀ·B with A stored K x M (the weight gradient Xᵀ·dY, A the
/// binarised batch): for p = 0, 1, ..., K-1 in order, every non-zero A[p, i] adds A[p, i]·B[p, :] into row i
/// of C. Each C element therefore sees its terms for p ascending, like the dense path, with the zero terms left
/// out (see the remarks on <see cref="Gemm"/>'s sparse entry).
/// </summary>
/// <remarks>
/// C's rows stay in memory between terms (C is M x N: 784 x 100 floats = 313 KB, in L2; with AVX-512 a per-thread
/// copy with line-aligned rows padded to whole vectors), so every vector is a load, an FMA and
/// a store; vectors never overlap (an overlapped lane would be added twice), and columns past
/// the last whole vector take scalar fused multiply-adds, which round identically. Parts split C's rows: each
/// walks every stored row of A but gathers only its own column range of it.
/// </remarks>
internal static unsafe class SparseScatter
{
    public static void RunPart(void* state, int part)
    {
        var job = (Gemm.SparseJob*)state;
        var (i0, i1) = GemmDriver.Split(job->M, 1, part, job->Parts);
        if (i0 >= i1)
            return;
        int n = job->N, span = i1 - i0;
        float* c = job->C + (nint)i0 * n;
        SparseGather.Lists(span, out int* offsets, out float* values);
        if (job->Isa == GemmIsa.Vector512 && n >= 16)
        {
            // C's rows (N = 100: 400 bytes apart) start mid-line, so most 64-byte loads and stores of the scatter
            // would straddle two lines. Accumulate into line-aligned rows padded to whole vectors instead (the
            // padding lanes add a · 0 from B's zero padding and are dropped), then copy the rows out. With 32-byte
            // vectors it measured no faster, so AVX2 keeps C's rows (tests/Bench/README.md).
            int ldc = (n + 15) & ~15;
            float* rows = (t_rows ??= new ScratchBuffer()).Get<float>((nint)span * ldc);
            for (int r = 0; r < span; r++)
            {
                var row = new Span<float>(rows + (nint)r * ldc, ldc);
                if (job->Load) { new ReadOnlySpan<float>(c + (nint)r * n, n).CopyTo(row); row[n..].Clear(); }
                else row.Clear();
            }
            Scatter<Vec512Ops, Vector512<float>>(job, i0, i1, rows, ldc, offsets, values);
            for (int r = 0; r < span; r++)
                new ReadOnlySpan<float>(rows + (nint)r * ldc, n).CopyTo(new Span<float>(c + (nint)r * n, n));
            return;
        }
        if (!job->Load)
            new Span<float>(c, span * n).Clear();
        if (job->Isa is GemmIsa.Vector512 or GemmIsa.Vector256 && n >= 8)
            Scatter<Vec256Ops, Vector256<float>>(job, i0, i1, c, n, offsets, values);
        else
            Scatter<Vec128Ops, Vector128<float>>(job, i0, i1, c, n, offsets, values);
    }

    /// <summary>This thread's padded rows of C (see <see cref="RunPart"/>).</summary>
    [ThreadStatic] private static ScratchBuffer? t_rows;

    /// <summary>Rows [i0, i1) of C, <paramref name="n"/> columns <paramref name="n"/> floats apart (padded rows: n = their length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter<TOps, TVec>(Gemm.SparseJob* job, int i0, int i1, float* c, int n, int* offsets, float* values)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        int width = TOps.Width;
        bool avx512 = job->Isa == GemmIsa.Vector512;
        for (int p = 0; p < job->K; p++)
        {
            int count = SparseGather.NonZeros(job->A + p * job->Lda, i0, i1, n, offsets, values, avx512);
            if (count == 0)
                continue;
            float* b = job->B + (nint)p * job->Ldb;
            // Whole vectors in blocks of up to 8 (B's slice held in registers across the list), then the tail.
            int col0 = 0;
            for (; col0 + width <= n; col0 += 8 * width)
            {
                switch (Math.Min(8, (n - col0) / width))
                {
                    case 1: Block<TOps, TVec, One>(b + col0, c + col0, offsets, values, count); break;
                    case 2: Block<TOps, TVec, Two>(b + col0, c + col0, offsets, values, count); break;
                    case 3: Block<TOps, TVec, Three>(b + col0, c + col0, offsets, values, count); break;
                    case 4: Block<TOps, TVec, Four>(b + col0, c + col0, offsets, values, count); break;
                    case 5: Block<TOps, TVec, Five>(b + col0, c + col0, offsets, values, count); break;
                    case 6: Block<TOps, TVec, Six>(b + col0, c + col0, offsets, values, count); break;
                    case 7: Block<TOps, TVec, Seven>(b + col0, c + col0, offsets, values, count); break;
                    default: Block<TOps, TVec, Eight>(b + col0, c + col0, offsets, values, count); break;
                }
            }
            int tail = n / width * width;
            if (tail < n)
                Tail(b, c, offsets, values, count, tail, n);
        }
    }

    /// <summary>C[i, 0 .. TN·width) += a · B[p, 0 .. TN·width) for every listed (offset of row i, a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TOps, TVec, TN>(float* b, float* c, int* offsets, float* values, int count)
        where TOps : IVecOps<TVec> where TVec : struct where TN : struct, IVectorCount
    {
        int w = TOps.Width, nv = TN.Value;
        TVec b0 = TOps.Load(b), b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
        TVec b4 = TOps.Zero, b5 = TOps.Zero, b6 = TOps.Zero, b7 = TOps.Zero;
        if (nv > 1) b1 = TOps.Load(b + w);
        if (nv > 2) b2 = TOps.Load(b + 2 * w);
        if (nv > 3) b3 = TOps.Load(b + 3 * w);
        if (nv > 4) b4 = TOps.Load(b + 4 * w);
        if (nv > 5) b5 = TOps.Load(b + 5 * w);
        if (nv > 6) b6 = TOps.Load(b + 6 * w);
        if (nv > 7) b7 = TOps.Load(b + 7 * w);
        for (int t = 0; t < count; t++)
        {
            TVec x = TOps.Broadcast(values[t]);
            float* r = c + offsets[t];
            TOps.Store(r, TOps.Fma(x, b0, TOps.Load(r)));
            if (nv > 1) TOps.Store(r + w, TOps.Fma(x, b1, TOps.Load(r + w)));
            if (nv > 2) TOps.Store(r + 2 * w, TOps.Fma(x, b2, TOps.Load(r + 2 * w)));
            if (nv > 3) TOps.Store(r + 3 * w, TOps.Fma(x, b3, TOps.Load(r + 3 * w)));
            if (nv > 4) TOps.Store(r + 4 * w, TOps.Fma(x, b4, TOps.Load(r + 4 * w)));
            if (nv > 5) TOps.Store(r + 5 * w, TOps.Fma(x, b5, TOps.Load(r + 5 * w)));
            if (nv > 6) TOps.Store(r + 6 * w, TOps.Fma(x, b6, TOps.Load(r + 6 * w)));
            if (nv > 7) TOps.Store(r + 7 * w, TOps.Fma(x, b7, TOps.Load(r + 7 * w)));
        }
    }

    /// <summary>Columns [from, n) past the last whole vector: 4-wide vectors, then scalar fused multiply-adds.</summary>
    private static void Tail(float* b, float* c, int* offsets, float* values, int count, int from, int n)
    {
        for (int t = 0; t < count; t++)
        {
            float a = values[t];
            float* r = c + offsets[t];
            int j = from;
            for (; j + 4 <= n; j += 4)
                Vector128.FusedMultiplyAdd(Vector128.Create(a), Vector128.Load(b + j), Vector128.Load(r + j)).Store(r + j);
            for (; j < n; j++)
                r[j] = MathF.FusedMultiplyAdd(a, b[j], r[j]);
        }
    }
}
