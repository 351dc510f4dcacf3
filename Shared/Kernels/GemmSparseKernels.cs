using System.Runtime.CompilerServices;

namespace TfMnist.Kernels;

// Inner kernels of Gemm.MultiplySparseLeft (see the remarks in GemmSparse.cs).
public static unsafe partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarColumns(SparseBlock* blk)
    {
        int n = blk->N;
        for (int r = 0; r < blk->Rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                float acc = blk->Load ? blk->Init[r * n + j] : 0f;
                for (int c = 0; c < blk->Chunks; c++)
                {
                    nint seg = ((nint)r * blk->Chunks + c) * SegmentCapacity;
                    for (int t = 0; t < blk->Len[r * blk->Chunks + c]; t++)
                        acc = MathF.FusedMultiplyAdd(blk->Val[seg + t], blk->B[blk->Off[seg + t] + j], acc);
                }
                blk->C[r * n + j] = acc;
            }
        }
    }

    /// <summary>All n (≥ one vector) columns in groups of 2 vectors (1 when n is narrower); the last group is
    /// shifted left to end at column n, overlapping its neighbour (overlapping lanes compute the identical chain,
    /// so no masking or padding of B is needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseColumns<TOps, TVec>(SparseBlock* blk) where TOps : IVecOps<TVec> where TVec : struct
    {
        int w = TOps.Width, n = blk->N;
        int span = n >= 2 * w ? 2 * w : w;
        nint second = span - w; // 0: the "second" vector recomputes the first
        for (int j = 0; ; j += span)
        {
            int jj = Math.Min(j, n - span);
            for (int c = 0; c < blk->Chunks; c++)
                for (int q = 0; q < blk->Quads; q++)
                    Quad<TOps, TVec>(blk, q, c, jj, second);
            if (jj + span >= n)
                break;
        }
    }

    /// <summary>4 rows x 2 vectors = 8 independent FMA chains over one K chunk's (padded) lists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Quad<TOps, TVec>(SparseBlock* blk, int q, int c, int j, nint second) where TOps : IVecOps<TVec> where TVec : struct
    {
        int n = blk->N, chunks = blk->Chunks, r0 = 4 * q;
        int rLast = blk->Rows - 1;
        nint seg0 = ((nint)r0 * chunks + c) * SegmentCapacity, segStride = (nint)chunks * SegmentCapacity;
        int* o0 = blk->Off + seg0, o1 = o0 + segStride, o2 = o1 + segStride, o3 = o2 + segStride;
        float* v0 = blk->Val + seg0, v1 = v0 + segStride, v2 = v1 + segStride, v3 = v2 + segStride;
        int len = blk->Len[r0 * chunks + c];
        // Output rows (duplicates of the last row past the block's end).
        nint d0 = (nint)Math.Min(r0, rLast) * n + j, d1 = (nint)Math.Min(r0 + 1, rLast) * n + j;
        nint d2 = (nint)Math.Min(r0 + 2, rLast) * n + j, d3 = (nint)Math.Min(r0 + 3, rLast) * n + j;
        float* src = c == 0 ? blk->Init : blk->C;
        bool load = c > 0 || blk->Load;
        TVec a0 = Init<TOps, TVec>(src + d0, load), a1 = Init<TOps, TVec>(src + d0 + second, load);
        TVec b0 = Init<TOps, TVec>(src + d1, load), b1 = Init<TOps, TVec>(src + d1 + second, load);
        TVec e0 = Init<TOps, TVec>(src + d2, load), e1 = Init<TOps, TVec>(src + d2 + second, load);
        TVec f0 = Init<TOps, TVec>(src + d3, load), f1 = Init<TOps, TVec>(src + d3 + second, load);
        float* bj = blk->B + j;
        for (int t = 0; t < len; t++)
        {
            float* p0 = bj + o0[t], p1 = bj + o1[t], p2 = bj + o2[t], p3 = bj + o3[t];
            TVec x0 = TOps.Broadcast(v0[t]), x1 = TOps.Broadcast(v1[t]);
            TVec x2 = TOps.Broadcast(v2[t]), x3 = TOps.Broadcast(v3[t]);
            a0 = TOps.Fma(x0, TOps.Load(p0), a0); a1 = TOps.Fma(x0, TOps.Load(p0 + second), a1);
            b0 = TOps.Fma(x1, TOps.Load(p1), b0); b1 = TOps.Fma(x1, TOps.Load(p1 + second), b1);
            e0 = TOps.Fma(x2, TOps.Load(p2), e0); e1 = TOps.Fma(x2, TOps.Load(p2 + second), e1);
            f0 = TOps.Fma(x3, TOps.Load(p3), f0); f1 = TOps.Fma(x3, TOps.Load(p3 + second), f1);
        }
        float* cc = blk->C;
        // Stored in reverse row order so that, for duplicated rows, the first (real) row's values are the ones
        // left; they are identical anyway.
        TOps.Store(cc + d3, f0); TOps.Store(cc + d3 + second, f1);
        TOps.Store(cc + d2, e0); TOps.Store(cc + d2 + second, e1);
        TOps.Store(cc + d1, b0); TOps.Store(cc + d1 + second, b1);
        TOps.Store(cc + d0, a0); TOps.Store(cc + d0 + second, a1);
    }

    private static TVec Init<TOps, TVec>(float* init, bool load) where TOps : IVecOps<TVec> where TVec : struct
        => load ? TOps.Load(init) : TOps.Zero;
}
