using System.Runtime.CompilerServices;
namespace TfMnist.Kernels;

/// <summary>Everything one dense GEMM call needs, shared by all parts (lives on the caller's stack).</summary>
internal unsafe struct GemmJob
{
    public float* A; public nint Ars, Acs;   // op(A)[i, p] = A[i * Ars + p * Acs]
    public float* B; public nint Brs, Bcs;   // op(B)[p, j] = B[p * Brs + j * Bcs]
    public float* C;                         // M x N, row-major, dense
    public int M, N, K;
    public bool Load;                        // accumulate into C
    public float* PackedB;
    public GemmIsa Isa;
    public int Parts;                        // pieces of each phase (1: the caller does everything)
    public int PackClaimed, PackDone;        // packing pieces taken / finished
    public int RowsClaimed;                  // row pieces taken
}

/// <summary>
/// The blocked loop around the micro-kernels. Loop order: row blocks of 6 (split across threads) →
/// column panels → full K.
/// </summary>
/// <remarks>
/// Why no K blocking (KC): on the network's shapes K ≤ 784, so one 6-row A micro-panel is 6 x 784 x 4 = 18.8 KB,
/// well inside Zen 5's 48 KiB L1 next to the streaming B panel, and is reused from L1/L2 by all ~4 column
/// panels; packed B for N = 100 is 313-350 KB, resident in the 1 MiB L2 for the whole call and reused by every row
/// block. A is streamed from memory exactly once. For much larger K or N a KC/NC split would be needed to keep B in
/// L2; the per-element summation order would not change (see <see cref="MicroKernel"/>).
/// </remarks>
internal static unsafe class GemmDriver
{
    public static void RunPart(void* state, int part)
    {
        var job = (GemmJob*)state;
        switch (job->Isa)
        {
            case GemmIsa.Vector512: RunPart<Vec512Ops, System.Runtime.Intrinsics.Vector512<float>>(job, part); break;
            case GemmIsa.Vector256: RunPart<Vec256Ops, System.Runtime.Intrinsics.Vector256<float>>(job, part); break;
            default: RunPart<Vec128Ops, System.Runtime.Intrinsics.Vector128<float>>(job, part); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart<TOps, TVec>(GemmJob* job, int part) where TOps : IVecOps<TVec> where TVec : struct
    {
        int vec = TOps.Width;
        int pieces = job->Parts;

        // Two phases of pieces that any thread claims: K-slices of B to pack, then (once every slice is packed)
        // row ranges to compute. A thread that comes late finds the work done, and one that comes alone does all
        // of it: nobody waits for a thread that has not arrived, only for slices already being packed.
        for (int piece; (piece = Interlocked.Increment(ref job->PackClaimed) - 1) < pieces;)
        {
            var (k0, k1) = Split(job->K, 1, piece, pieces);
            GemmPacking.PackB(job->B, job->Brs, job->Bcs, job->N, job->K, vec, job->PackedB, k0, k1);
            Interlocked.Increment(ref job->PackDone);
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref job->PackDone) < pieces)
            spin.SpinOnce(sleep1Threshold: -1);

        for (int piece; (piece = Interlocked.Increment(ref job->RowsClaimed) - 1) < pieces;)
        {
            var (r0, r1) = Split(job->M, MicroKernel.MR, piece, pieces);
            if (r0 < r1)
                RunRows<TOps, TVec>(job, r0, r1);
        }
    }

    /// <summary>Part's share of [0, total), in whole units of <paramref name="grain"/>.</summary>
    public static (int Start, int End) Split(int total, int grain, int part, int parts)
    {
        int units = (total + grain - 1) / grain;
        int start = (int)((long)units * part / parts) * grain;
        int end = (int)((long)units * (part + 1) / parts) * grain;
        return (Math.Min(start, total), Math.Min(end, total));
    }

    [ThreadStatic] private static ScratchBuffer? t_edgeA;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // the tile is written before it is read; zeroing its 3 KB cost more than a K = 10 product's packing
    private static void RunRows<TOps, TVec>(GemmJob* job, int rowStart, int rowEnd) where TOps : IVecOps<TVec> where TVec : struct
    {
        const int MR = MicroKernel.MR;
        int vec = TOps.Width, n = job->N, k = job->K;
        bool load = job->Load;
        float* tile = stackalloc float[MR * 2 * 64]; // room for 6 x 2 vectors of the widest tier
        float* edgeA = null;

        for (int i0 = rowStart; i0 < rowEnd; i0 += MR)
        {
            int mr = Math.Min(MR, rowEnd - i0);
            float* a = job->A + i0 * job->Ars;
            nint rs = job->Ars, cs = job->Acs;
            if (mr < MR)
            {
                edgeA = (t_edgeA ??= new ScratchBuffer()).Get<float>((nint)MR * k);
                GemmPacking.PackEdgeA(a, rs, cs, mr, k, edgeA);
                a = edgeA;
                rs = k;
                cs = 1;
            }

            for (int col0 = 0; col0 < n;)
            {
                int width = GemmPacking.PanelWidth(n - col0, vec);
                int valid = Math.Min(width, n - col0);
                float* b = job->PackedB + (nint)col0 * k;
                nint ldb = width;

                float* c = job->C + (nint)i0 * n + col0;
                bool direct = mr == MR && valid == width;
                float* target = direct ? c : tile;
                nint ldc = direct ? n : width;
                if (!direct && load)
                    CopyTile(c, n, tile, width, mr, valid);

                if (width == vec)
                    MicroKernel.Narrow<TOps, TVec>(a, rs, cs, b, ldb, k, target, ldc, load);
                else
                    MicroKernel.Wide<TOps, TVec>(a, rs, cs, b, ldb, k, target, ldc, load);

                if (!direct)
                    CopyTile(tile, width, c, n, mr, valid);
                col0 += width;
            }
        }
    }

    // Runs once or twice per edge tile, and every tile is an edge tile when N is below a panel (N = 10): as Tier-0
    // code (the first hundreds of calls of a process, before tiering catches up) it took 17% of a 96x10x100 product.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTile(float* src, nint lds, float* dst, nint ldd, int rows, int cols)
    {
        // A plain loop: rows are at most 32 floats, where a Memmove call per row cost more than the copy.
        for (int r = 0; r < rows; r++)
        {
            float* s = src + r * lds, d = dst + r * ldd;
            for (int j = 0; j < cols; j++)
                d[j] = s[j];
        }
    }
}
