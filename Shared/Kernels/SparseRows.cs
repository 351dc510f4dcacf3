using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>
/// Sparse-left GEMM with op(A) = A: row by row, gather the row's non-zeros, then run register accumulators
/// over them. See the remarks on <see cref="Gemm"/>'s sparse entry for the summation order.
/// </summary>
/// <remarks>
/// Per non-zero a[i,p] a column block costs one broadcast plus, per vector, one load of B[p, :] and one FMA.
/// A block holds up to 8 vector accumulators (128 columns with AVX-512: the network's N = 100 is one block of
/// 7), so C is written once per row and never read back. The kernel is bound by moving B's rows into the core
/// (7 x 64 bytes per non-zero): B arrives with its rows padded to a multiple of 16 floats and 64-byte aligned
/// (<see cref="Gemm.SparseJob.Ldb"/>), since loads that straddle two cache lines measured ~1.5x slower. K
/// chunking to keep B in L1 was tried and was no faster: with ~6 non-zeros per row and chunk, storing and
/// reloading the accumulators between chunks cost what L1 saved. The last vector of a block is shifted left to
/// end at the block's edge, overlapping its neighbour: overlapping lanes compute the identical chain, and all
/// loads of a block happen before its stores, so no masking is needed; blocks never overlap each other (the
/// last is kept at least one vector wide).
/// </remarks>
internal static unsafe class SparseRows
{
    private const int MaxVectors = 8;

    /// <summary>Whether AVX-512 runs rows in pairs (<see cref="SparseRowPairs"/>); a switch for tests and benchmarks.</summary>
    internal static bool PairRows { get; set; } = Environment.GetEnvironmentVariable("TFMNIST_SPARSE_SINGLE_ROWS") != "1";

    public static void RunPart(void* state, int part)
    {
        var job = (Gemm.SparseJob*)state;
        var (r0, r1) = GemmDriver.Split(job->M, 1, part, job->Parts);
        if (r0 >= r1)
            return;
        switch (job->Isa)
        {
            case GemmIsa.Vector512 when job->N >= 16: Rows<Vec512Ops, Vector512<float>>(job, r0, r1); break;
            case GemmIsa.Vector512 or GemmIsa.Vector256 when job->N >= 8: Rows<Vec256Ops, Vector256<float>>(job, r0, r1); break;
            case not GemmIsa.Scalar when job->N >= 4: Rows<Vec128Ops, Vector128<float>>(job, r0, r1); break;
            default: ScalarRows(job, r0, r1); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TOps, TVec>(Gemm.SparseJob* job, int r0, int r1)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        int width = TOps.Width, n = job->N, k = job->K, maxWidth = MaxVectors * width;
        bool avx512 = job->Isa == GemmIsa.Vector512;
        if (avx512 && PairRows) r0 = SparseRowPairs.Run(job, r0, r1);
        SparseGather.Lists(k, out int* offsets, out float* values, out float* scratch);
        for (int i = r0; i < r1; i++)
        {
            int count = SparseGather.NonZeros(Row(job, i, scratch), 0, k, job->Ldb, offsets, values, avx512);
            float* cRow = job->C + (nint)i * n;
            for (int col0 = 0, w; col0 < n; col0 += w)
            {
                int rest = n - col0;
                // Keep the last block at least one vector wide, so blocks never overlap.
                w = rest <= maxWidth ? rest : rest - maxWidth < width ? maxWidth - width : maxWidth;
                Block<TOps, TVec>(offsets, values, count, job->B + col0, cRow + col0, w, job->Load, width);
            }
            Epilogue(job, i, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TOps, TVec>(int* offsets, float* values, int count, float* b, float* c, int w, bool load, int width)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        switch ((w + width - 1) / width)
        {
            case 1: Block<TOps, TVec, One>(offsets, values, count, b, c, w, load); break;
            case 2: Block<TOps, TVec, Two>(offsets, values, count, b, c, w, load); break;
            case 3: Block<TOps, TVec, Three>(offsets, values, count, b, c, w, load); break;
            case 4: Block<TOps, TVec, Four>(offsets, values, count, b, c, w, load); break;
            case 5: Block<TOps, TVec, Five>(offsets, values, count, b, c, w, load); break;
            case 6: Block<TOps, TVec, Six>(offsets, values, count, b, c, w, load); break;
            case 7: Block<TOps, TVec, Seven>(offsets, values, count, b, c, w, load); break;
            default: Block<TOps, TVec, Eight>(offsets, values, count, b, c, w, load); break;
        }
    }

    /// <summary>
    /// One row's column block of width <paramref name="w"/> (at least one vector): TN.Value accumulators at
    /// columns min(j * width, w - width), each a fused chain over the non-zero list in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TOps, TVec, TN>(int* offsets, float* values, int count, float* b, float* c, int w, bool load)
        where TOps : IVecOps<TVec> where TVec : struct where TN : struct, IVectorCount
    {
        int width = TOps.Width, nv = TN.Value;
        nint last = w - width;
        nint p1 = Math.Min(width, last), p2 = Math.Min(2 * width, last), p3 = Math.Min(3 * width, last);
        nint p4 = Math.Min(4 * width, last), p5 = Math.Min(5 * width, last), p6 = Math.Min(6 * width, last);
        nint p7 = Math.Min(7 * width, last);
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVec a4 = TOps.Zero, a5 = TOps.Zero, a6 = TOps.Zero, a7 = TOps.Zero;
        if (load)
        {
            a0 = TOps.Load(c);
            if (nv > 1) a1 = TOps.Load(c + p1);
            if (nv > 2) a2 = TOps.Load(c + p2);
            if (nv > 3) a3 = TOps.Load(c + p3);
            if (nv > 4) a4 = TOps.Load(c + p4);
            if (nv > 5) a5 = TOps.Load(c + p5);
            if (nv > 6) a6 = TOps.Load(c + p6);
            if (nv > 7) a7 = TOps.Load(c + p7);
        }
        for (int t = 0; t < count; t++)
        {
            TVec x = TOps.Broadcast(values[t]);
            float* r = b + offsets[t];
            a0 = TOps.Fma(x, TOps.Load(r), a0);
            if (nv > 1) a1 = TOps.Fma(x, TOps.Load(r + p1), a1);
            if (nv > 2) a2 = TOps.Fma(x, TOps.Load(r + p2), a2);
            if (nv > 3) a3 = TOps.Fma(x, TOps.Load(r + p3), a3);
            if (nv > 4) a4 = TOps.Fma(x, TOps.Load(r + p4), a4);
            if (nv > 5) a5 = TOps.Fma(x, TOps.Load(r + p5), a5);
            if (nv > 6) a6 = TOps.Fma(x, TOps.Load(r + p6), a6);
            if (nv > 7) a7 = TOps.Fma(x, TOps.Load(r + p7), a7);
        }
        TOps.Store(c, a0);
        if (nv > 1) TOps.Store(c + p1, a1);
        if (nv > 2) TOps.Store(c + p2, a2);
        if (nv > 3) TOps.Store(c + p3, a3);
        if (nv > 4) TOps.Store(c + p4, a4);
        if (nv > 5) TOps.Store(c + p5, a5);
        if (nv > 6) TOps.Store(c + p6, a6);
        if (nv > 7) TOps.Store(c + p7, a7);
    }

    /// <summary>
    /// The job's epilogue on rows [i, i + rows) of C, finished and still in L1: the bias added, then the ReLU
    /// written — by the Add and Relu ops' own TensorPrimitives calls, so the bits are theirs.
    /// </summary>
    internal static void Epilogue(Gemm.SparseJob* job, int i, int rows)
    {
        if (job->Bias is null) return;
        int n = job->N;
        var bias = new ReadOnlySpan<float>(job->Bias, n);
        for (int r = i; r < i + rows; r++)
        {
            var row = new Span<float>(job->C + (nint)r * n, n);
            System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
        }
        if (job->Relu is not null)
            System.Numerics.Tensors.TensorPrimitives.Max(new ReadOnlySpan<float>(job->C + (nint)i * n, rows * n), 0f,
                new Span<float>(job->Relu + (nint)i * n, rows * n));
    }

    /// <summary>
    /// Row i of op(A); when the job fuses a Round, rounded first into <see cref="Gemm.SparseJob.RoundInto"/>, or
    /// past <see cref="Gemm.SparseJob.RoundedRows"/> into <paramref name="scratch"/> (K floats of this thread's).
    /// </summary>
    internal static float* Row(Gemm.SparseJob* job, int i, float* scratch)
    {
        float* row = job->A + i * job->Lda;
        if (job->RoundInto is null) return row;
        float* rounded = i < job->RoundedRows ? job->RoundInto + i * job->Lda : scratch;
        SparseGather.RoundRow(row, rounded, job->K);
        return rounded;
    }

    /// <summary>
    /// Row i of A as stored, for a gather that rounds it itself; a row below <see cref="Gemm.SparseJob.RoundedRows"/>
    /// also has its Round written to <see cref="Gemm.SparseJob.RoundInto"/> (the same bits the gather computes). Such a
    /// row is rounded twice, stored and again in the gather's registers, so that a pair never mixes a stored row with
    /// a raw one: one vrndscaleps per 16 values, next to the gather's loads.
    /// </summary>
    internal static float* RawRowStoringRound(Gemm.SparseJob* job, int i)
    {
        float* row = job->A + (nint)i * job->Lda;
        if (i < job->RoundedRows) SparseGather.RoundRow(row, job->RoundInto + (nint)i * job->Lda, job->K);
        return row;
    }

    /// <summary>Fewer columns than the narrowest vector: one scalar fused chain per element.</summary>
    private static void ScalarRows(Gemm.SparseJob* job, int r0, int r1)
    {
        int n = job->N;
        SparseGather.Lists(job->K, out int* offsets, out float* values, out float* scratch);
        for (int i = r0; i < r1; i++)
        {
            int count = SparseGather.NonZeros(Row(job, i, scratch), 0, job->K, job->Ldb, offsets, values, useAvx512: false);
            for (int j = 0; j < n; j++)
            {
                float* c = job->C + (nint)i * n + j;
                float acc = job->Load ? *c : 0f;
                for (int t = 0; t < count; t++)
                    acc = MathF.FusedMultiplyAdd(values[t], job->B[offsets[t] + j], acc);
                *c = acc;
            }
            Epilogue(job, i, 1);
        }
    }
}
