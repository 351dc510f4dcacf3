using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// <para>Any subset of the zero terms may be left out under the same conditions, so the row-pair kernel pads
/// the non-zero lists of four rows processed together with 0 terms to the longest of them.</para>
/// <para>Layout: per row of op(A) the non-zero entries are gathered (a vector compare and bit scan for a
/// non-transposed A). Four rows are processed together, each with 2 vector accumulators over a column group, so 8 FMA
/// chains hide the FMA latency; per list entry it costs one broadcast plus one load + FMA per vector of the
/// matching row of op(B), which comes from L1 thanks to K chunking (see SparseKChunk). The last column group is shifted to end
/// at column N, overlapping the previous one, so B needs no padding; widths below one vector use narrower
/// vector types, then scalar fused multiply-adds (same rounding). op(B) must be row-major: a transposed B is
/// transposed once into a per-thread scratch buffer.</para>
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
        if (!Prologue(a, aRows, aCols, transposeA, b, bRows, bCols, transposeB, c, accumulate, out int m, out int n, out int k))
            return;

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

    // Blocking for the sparse path. Each non-zero costs one B load per FMA (B is not shared between rows as in
    // the dense kernel), so B must come from L1: a K chunk of 256 rows x 2 vectors of B is 32 KB (AVX-512), inside
    // Zen 5's 48 KiB L1, and is reused by all 16 rows of a row block before moving on. Splitting K stores and
    // reloads the accumulators, which leaves each element's fused chain unchanged.
    private const int SparseRowBlock = 16;
    private const int SparseKChunk = 256;
    private const int SegmentCapacity = SparseKChunk + 16; // + overhang of the 16-lane compress store

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSparsePart(void* state, int part)
    {
        var job = (SparseJob*)state;
        var (r0, r1) = GemmDriver.Split(job->M, MicroKernel.MR, part, job->Parts);
        int k = job->K, n = job->N, chunks = (k + SparseKChunk - 1) / SparseKChunk;
        nint segments = (nint)SparseRowBlock * chunks;
        byte* scratch = (t_sparseRow ??= new ScratchBuffer()).Get<byte>(
            segments * SegmentCapacity * 8 + segments * 4 + (nint)SparseRowBlock * n * 4 + 256);
        var blk = new SparseBlock
        {
            Off = (int*)scratch,
            Chunks = chunks,
            B = job->B,
            N = n,
            Load = job->Load,
        };
        blk.Val = (float*)(blk.Off + segments * SegmentCapacity);
        blk.Len = (int*)(blk.Val + segments * SegmentCapacity);
        blk.Init = (float*)(blk.Len + segments);

        for (int i0 = r0; i0 < r1; i0 += SparseRowBlock)
        {
            int rows = Math.Min(SparseRowBlock, r1 - i0);
            blk.C = job->C + (nint)i0 * n;
            blk.Quads = (rows + 3) / 4;
            for (int r = 0; r < blk.Quads * 4; r++)
            {
                // Rows past the end of the block duplicate its last row (computed and stored twice, identically).
                float* aRow = job->A + Math.Min(i0 + r, r1 - 1) * job->Ars;
                for (int c = 0; c < chunks; c++)
                {
                    int kc0 = c * SparseKChunk, kc1 = Math.Min(k, kc0 + SparseKChunk);
                    nint seg = ((nint)r * chunks + c) * SegmentCapacity;
                    blk.Len[r * chunks + c] = Gather(aRow, job->Acs, kc0, kc1, n, blk.Off + seg, blk.Val + seg, job->Isa);
                }
            }
            // Pad each quad's lists, per chunk, with 0 terms (offset 0: row 0 of B) to the longest of the four.
            for (int q = 0; q < blk.Quads; q++)
            {
                for (int c = 0; c < chunks; c++)
                {
                    int max = 0;
                    for (int r = 4 * q; r < 4 * q + 4; r++)
                        max = Math.Max(max, blk.Len[r * chunks + c]);
                    for (int r = 4 * q; r < 4 * q + 4; r++)
                    {
                        nint seg = ((nint)r * chunks + c) * SegmentCapacity;
                        for (int t = blk.Len[r * chunks + c]; t < max; t++)
                        {
                            blk.Off[seg + t] = 0;
                            blk.Val[seg + t] = 0f;
                        }
                        blk.Len[r * chunks + c] = max;
                    }
                }
            }
            blk.Rows = rows;
            if (job->Load)
                new ReadOnlySpan<float>(blk.C, rows * n).CopyTo(new Span<float>(blk.Init, rows * n));

            GemmIsa isa = job->Isa;
            if (isa >= GemmIsa.Vector512 && n >= 16)
                SparseColumns<Vec512Ops, Vector512<float>>(&blk);
            else if (isa >= GemmIsa.Vector256 && n >= 8)
                SparseColumns<Vec256Ops, Vector256<float>>(&blk);
            else if (n >= 4)
                SparseColumns<Vec128Ops, Vector128<float>>(&blk);
            else
                ScalarColumns(&blk);
        }
    }

    /// <summary>One block of up to 16 rows with their gathered, chunked, quad-padded non-zero lists.</summary>
    private struct SparseBlock
    {
        public int* Off;     // [row][chunk][SegmentCapacity] B offsets k * N
        public float* Val;   // same layout, the non-zero values of A
        public int* Len;     // [row][chunk] padded list lengths
        public float* Init;  // copy of the block's C rows (accumulate mode)
        public float* B, C;
        public int N, Rows, Quads, Chunks;
        public bool Load;
    }

    /// <summary>Collects the non-zero a[p], p in [k0, k1) ascending, and their B row offsets p * ldb. Returns the count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Gather(float* a, nint cs, int k0, int k1, int ldb, int* offsets, float* values, GemmIsa isa)
    {
        int nnz = 0, p = k0;
        if (cs == 1 && isa >= GemmIsa.Vector512 && Avx512F.IsSupported)
        {
            // Branch-free: compress the non-zero lanes (values and their B offsets) to the front and store all
            // 16 lanes; the segment has 16 spare slots for the overhang.
            var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * ldb;
            for (; p + 16 <= k1; p += 16)
            {
                var v = Vector512.Load(a + p);
                var keep = ~Vector512.Equals(v, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, keep, v).Store(values + nnz);
                Avx512F.Compress(Vector512<int>.Zero, keep.AsInt32(), lane + Vector512.Create(p * ldb)).Store(offsets + nnz);
                nnz += BitOperations.PopCount(keep.ExtractMostSignificantBits());
            }
        }
        // Branch-free tail / strided gather: always write, advance only past non-zeros.
        for (; p < k1; p++)
        {
            float v = a[p * cs];
            offsets[nnz] = p * ldb;
            values[nnz] = v;
            nnz += v != 0f ? 1 : 0;
        }
        return nnz;
    }
}
