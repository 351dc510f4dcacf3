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
/// C's rows stay in memory between terms (C is M x N: 784 x 100 floats = 313 KB, in L2), so every vector is a
/// load, an FMA and a store; vectors never overlap (an overlapped lane would be added twice), and columns past
/// the last whole vector take scalar fused multiply-adds, which round identically. Parts split C's rows: each
/// walks every stored row of A but gathers only its own column range of it.
/// </remarks>
internal static unsafe class SparseScatter
{
    [ThreadStatic] private static ScratchBuffer? t_list;

    public static void RunPart(void* state, int part)
    {
        var job = (Gemm.SparseJob*)state;
        var (i0, i1) = GemmDriver.Split(job->M, 1, part, job->Parts);
        if (i0 >= i1)
            return;
        int n = job->N, span = i1 - i0;
        float* c = job->C + (nint)i0 * n;
        if (!job->Load)
            new Span<float>(c, span * n).Clear();
        var scratch = (t_list ??= new ScratchBuffer()).Get<int>(2 * ((nint)span + SparseGather.Overhang));
        int* offsets = scratch;
        float* values = (float*)(scratch + span + SparseGather.Overhang);
        switch (job->Isa)
        {
            case GemmIsa.Vector512 when n >= 16: Scatter<Vec512Ops, Vector512<float>>(job, i0, i1, c, offsets, values); break;
            case GemmIsa.Vector512 or GemmIsa.Vector256 when n >= 8: Scatter<Vec256Ops, Vector256<float>>(job, i0, i1, c, offsets, values); break;
            default: Scatter<Vec128Ops, Vector128<float>>(job, i0, i1, c, offsets, values); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter<TOps, TVec>(Gemm.SparseJob* job, int i0, int i1, float* c, int* offsets, float* values)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        int width = TOps.Width, n = job->N;
        int vectorEnd = n / width * width;
        bool avx512 = job->Isa == GemmIsa.Vector512;
        for (int p = 0; p < job->K; p++)
        {
            int count = SparseGather.NonZeros(job->A + p * job->Lda, i0, i1, n, offsets, values, avx512);
            float* b = job->B + (nint)p * job->Ldb;
            for (int t = 0; t < count; t++)
            {
                float a = values[t];
                TVec x = TOps.Broadcast(a);
                float* cRow = c + offsets[t];
                int j = 0;
                for (; j < vectorEnd; j += width)
                    TOps.Store(cRow + j, TOps.Fma(x, TOps.Load(b + j), TOps.Load(cRow + j)));
                for (; j < n; j++)
                    cRow[j] = MathF.FusedMultiplyAdd(a, b[j], cRow[j]);
            }
        }
    }
}
