using System.Numerics;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>Sparse-left product, in the spirit of TensorFlow's <c>a_is_sparse</c> hint.</summary>
/// <remarks>
/// <para>Order of summation and bit-identity with <see cref="Gemm.Multiply"/>: both compute each C element as one
/// float accumulator, initialised to +0 (or the old C), updated by acc = fma(a[i,k], b[k,j], acc) for k ascending.
/// This path simply leaves out the terms whose a[i,k] is ±0. Leaving one out is exact when b[k,j] is finite:
/// the product 0·b is an exact ±0, and acc + (±0) == acc for every acc except -0 (-0 + +0 = +0 under round-to-nearest).
/// So the results are bit-identical to the dense path provided that (1) B holds no Inf/NaN where A has zeros
/// (0·Inf = NaN in the dense path), and (2) no accumulator is -0 when a zero term would have been added, which
/// can only happen when C starts as -0 (accumulate mode) or a partial sum underflows to -0; in that case the two
/// results still compare equal (-0 == +0) and differ only in the sign bit. Neither happens with MNIST inputs.</para>
/// <para>Layout: per row of op(A) the non-zero entries are gathered (a vector compare and bit scan for a
/// non-transposed A), then for each group of up to 4 vectors of C columns the accumulators stay in registers while
/// the non-zeros are streamed: per non-zero, one broadcast and up to 4 loads + FMAs of the matching row of op(B).
/// Ragged columns fall to the next narrower vector type, then to scalar fused multiply-adds (same rounding).
/// op(B) must be row-major: a transposed B is transposed once into a per-thread scratch buffer.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>As <see cref="Multiply"/>, skipping zero entries of op(A); worthwhile when most of A is zero
    /// (binarised MNIST: ~80%). Same result bits as <see cref="Multiply"/>, see the class remarks for the caveats.</summary>
    public static void MultiplySparseLeft(
        ReadOnlySpan<float> a, int aRows, int aCols, bool transposeA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB,
        Span<float> c, bool accumulate = false)
    {
        var (m, n, k) = CheckShapes(a.Length, aRows, aCols, transposeA, b.Length, bRows, bCols, transposeB, c.Length);
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                c[..(m * n)].Clear();
            return;
        }

        GemmIsa isa = Isa;
        fixed (float* pa = a, pb = b, pc = c)
        {
            nint ars = transposeA ? 1 : aCols, acs = transposeA ? aCols : 1;
            if (isa == GemmIsa.Scalar)
            {
                MicroKernel.Scalar(pa, ars, acs, pb, transposeB ? 1 : bCols, transposeB ? bCols : 1, pc, m, n, k, accumulate, skipZeros: true);
                return;
            }

            float* bRowMajor = pb;
            if (transposeB)
            {
                bRowMajor = (t_packedB ??= new ScratchBuffer()).Get<float>((nint)k * n);
                for (int p = 0; p < k; p++)
                    for (int j = 0; j < n; j++)
                        bRowMajor[(nint)p * n + j] = pb[(nint)j * bCols + p];
            }

            var job = new SparseJob { A = pa, Ars = ars, Acs = acs, B = bRowMajor, C = pc, M = m, N = n, K = k, Load = accumulate, Isa = isa };
            // Roughly a fifth of the dense work on MNIST; same break-even rule on the estimated flops.
            job.Parts = ChooseParts(m, n, Math.Max(1, k / 5));
            if (job.Parts < 2 || !GemmThreading.TryRun(&RunSparsePart, &job, job.Parts))
            {
                job.Parts = 1;
                RunSparsePart(&job, 0);
            }
        }
    }

    /// <summary>Fraction of exact zeros (±0) in <paramref name="values"/>, for choosing the sparse path.</summary>
    public static double ZeroFraction(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return 0;
        int zeros = 0;
        foreach (float v in values)
            zeros += v == 0f ? 1 : 0;
        return (double)zeros / values.Length;
    }

    private struct SparseJob
    {
        public float* A; public nint Ars, Acs;
        public float* B;                      // op(B), K x N row-major
        public float* C;
        public int M, N, K;
        public bool Load;
        public GemmIsa Isa;
        public int Parts;
    }

    [ThreadStatic] private static ScratchBuffer? t_sparseRow;

    private static void RunSparsePart(void* state, int part)
    {
        var job = (SparseJob*)state;
        var (r0, r1) = GemmDriver.Split(job->M, MicroKernel.MR, part, job->Parts);
        int k = job->K, n = job->N;
        byte* scratch = (t_sparseRow ??= new ScratchBuffer()).Get<byte>((nint)k * (sizeof(nint) + sizeof(float)) + 64);
        nint* offsets = (nint*)scratch;
        float* values = (float*)(offsets + k);
        for (int i = r0; i < r1; i++)
        {
            int nnz = Gather(job->A + i * job->Ars, job->Acs, k, n, offsets, values, job->Isa);
            float* cRow = job->C + (nint)i * n;
            int j = 0;
            if (job->Isa >= GemmIsa.Vector512)
                j = SparseRow<Vec512Ops, Vector512<float>>(offsets, values, nnz, job->B, cRow, j, n, job->Load);
            if (job->Isa >= GemmIsa.Vector256)
                j = SparseRow<Vec256Ops, Vector256<float>>(offsets, values, nnz, job->B, cRow, j, n, job->Load);
            j = SparseRow<Vec128Ops, Vector128<float>>(offsets, values, nnz, job->B, cRow, j, n, job->Load);
            for (; j < n; j++)
            {
                float acc = job->Load ? cRow[j] : 0f;
                for (int t = 0; t < nnz; t++)
                    acc = MathF.FusedMultiplyAdd(values[t], job->B[offsets[t] + j], acc);
                cRow[j] = acc;
            }
        }
    }

    /// <summary>Collects the non-zero a[p] (p ascending) and their B row offsets p * ldb. Returns the count.</summary>
    private static int Gather(float* a, nint cs, int k, nint ldb, nint* offsets, float* values, GemmIsa isa)
    {
        int nnz = 0, p = 0;
        if (cs == 1 && isa >= GemmIsa.Vector512)
        {
            for (; p + 16 <= k; p += 16)
            {
                ulong mask = Vec512Ops.NonZeroMask(Vector512.Load(a + p));
                while (mask != 0)
                {
                    int q = p + BitOperations.TrailingZeroCount(mask);
                    offsets[nnz] = q * ldb;
                    values[nnz++] = a[q];
                    mask &= mask - 1;
                }
            }
        }
        // Branch-free tail / strided gather: always write, advance only past non-zeros.
        for (; p < k; p++)
        {
            float v = a[p * cs];
            offsets[nnz] = p * ldb;
            values[nnz] = v;
            nnz += v != 0f ? 1 : 0;
        }
        return nnz;
    }

    /// <summary>Columns [j, n) in groups of 4, 2, 1 vectors of TVec while at least one full vector remains.</summary>
    private static int SparseRow<TOps, TVec>(nint* offsets, float* values, int nnz, float* b, float* c, int j, int n, bool load)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        int w = TOps.Width;
        for (; j + 4 * w <= n; j += 4 * w)
        {
            TVec c0 = load ? TOps.Load(c + j) : TOps.Zero, c1 = load ? TOps.Load(c + j + w) : TOps.Zero;
            TVec c2 = load ? TOps.Load(c + j + 2 * w) : TOps.Zero, c3 = load ? TOps.Load(c + j + 3 * w) : TOps.Zero;
            float* bj = b + j;
            for (int t = 0; t < nnz; t++)
            {
                float* row = bj + offsets[t];
                TVec x = TOps.Broadcast(values[t]);
                c0 = TOps.Fma(x, TOps.Load(row), c0);
                c1 = TOps.Fma(x, TOps.Load(row + w), c1);
                c2 = TOps.Fma(x, TOps.Load(row + 2 * w), c2);
                c3 = TOps.Fma(x, TOps.Load(row + 3 * w), c3);
            }
            TOps.Store(c + j, c0); TOps.Store(c + j + w, c1); TOps.Store(c + j + 2 * w, c2); TOps.Store(c + j + 3 * w, c3);
        }
        if (j + 2 * w <= n)
        {
            TVec c0 = load ? TOps.Load(c + j) : TOps.Zero, c1 = load ? TOps.Load(c + j + w) : TOps.Zero;
            float* bj = b + j;
            for (int t = 0; t < nnz; t++)
            {
                float* row = bj + offsets[t];
                TVec x = TOps.Broadcast(values[t]);
                c0 = TOps.Fma(x, TOps.Load(row), c0);
                c1 = TOps.Fma(x, TOps.Load(row + w), c1);
            }
            TOps.Store(c + j, c0); TOps.Store(c + j + w, c1);
            j += 2 * w;
        }
        if (j + w <= n)
        {
            TVec c0 = load ? TOps.Load(c + j) : TOps.Zero;
            float* bj = b + j;
            for (int t = 0; t < nnz; t++)
                c0 = TOps.Fma(TOps.Broadcast(values[t]), TOps.Load(bj + offsets[t]), c0);
            TOps.Store(c + j, c0);
            j += w;
        }
        return j;
    }
}
