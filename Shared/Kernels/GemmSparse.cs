using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>Sparse-left product, in the spirit of TensorFlow's <c>a_is_sparse</c> hint.</summary>
/// <remarks>
/// <para>Order of summation and bit-identity with <see cref="Gemm.Multiply"/>: both compute each C element as one
/// float accumulator, initialised to +0 (or the old C), updated by acc = fma(a[i,k], b[k,j], acc) for k ascending.
/// This path simply leaves out the terms whose a[i,k] is ±0. Leaving one out is exact when b[k,j] is finite:
/// the product 0·b is an exact ±0, and acc + (±0) == acc for every acc except -0 (-0 + +0 = +0 under round-to-nearest).
/// A non-finite b is not: 0·Inf and 0·NaN are NaN, as TensorFlow's MatMul gives them. So every sparse entry checks
/// op(B) as it packs it (B is the small operand: the weights, or dH in Xᵀ·dH) and, when it holds an Inf or NaN,
/// computes with the dense path instead. What holds, then: the same bits as <see cref="Gemm.Multiply"/> for every
/// input (Inf and NaN in A or B included), except the sign of a zero: where an accumulator is -0 when a left-out
/// zero term would have come (C starting as -0 in accumulate mode, or a partial sum underflowing to -0), the dense
/// path gives +0 and this one -0. The two compare equal; MNIST's inputs never produce it.</para>
/// <para>Two layouts, both keeping k ascending per element:</para>
/// <list type="bullet">
/// <item>op(A) = A (rows stored contiguously): per row, the non-zero entries are gathered (a vector compare and
/// compress, or a branch-free scalar loop), then up to 8 vector accumulators per column block run over the list:
/// one broadcast plus one load + FMA per vector of the matching row of B (see <see cref="SparseRows"/>).</item>
/// <item>op(A) = Aᵀ (the weight gradient Xᵀ·dY): the stored rows of A are walked in order p = 0, 1, ..., and each
/// non-zero A[p, i] adds A[p, i] · B[p, :] into row i of C, which C holds in memory between terms
/// (see <see cref="SparseScatter"/>). Walking p in order is the same per-element order as the dense path.</item>
/// </list>
/// <para>op(B) is first copied row-major (transposed if need be) with its rows padded to 64-byte lines, into a per-thread scratch buffer.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Zeros, as a fraction of sampled entries, from which <see cref="MatMulPrefersSparse"/> says yes.
    /// Measured with the gemm bench on binarised MNIST (13% non-zero): the sparse path is ~5x faster there and
    /// still ahead at 50% non-zero on the network's shapes.</summary>
    internal const double SparseZeroFraction = 0.6;

    private const int PiecesPerThread = 4;
    private const int RowsPerPiece = 256;

    /// <summary>As <see cref="Multiply"/>, skipping zero entries of op(A); worthwhile when most of A is zero
    /// (binarised MNIST: ~87%). Same result bits as <see cref="Multiply"/> but for the sign of a -0 accumulator (see
    /// the class remarks); when op(B) holds an Inf or NaN it runs <see cref="Multiply"/> itself.</summary>
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
            if (isa == GemmIsa.Scalar)
            {
                if (!AllFinite(b[..(bRows * bCols)]))
                {
                    Multiply(a, aRows, aCols, transposeA, b, bRows, bCols, transposeB, c, accumulate);
                    return;
                }
                KernelProbe.Took(KernelProbe.Path.SparseProduct);
                nint ars = transposeA ? 1 : aCols, acs = transposeA ? aCols : 1;
                MicroKernel.Scalar(pa, ars, acs, pb, transposeB ? 1 : bCols, transposeB ? bCols : 1, pc, m, n, k, accumulate, skipZeros: true);
                return;
            }
            var job = new SparseJob { A = pa, Lda = aCols, C = pc, M = m, N = n, K = k, Load = accumulate, Isa = isa };
            if (Run(&job, pb, bRows, bCols, transposeB, transposeA ? &SparseScatter.RunPart : &SparseRows.RunPart))
                return;
        }
        // B holds an Inf or NaN: the zeros of A left out would have made NaNs (0·Inf, 0·NaN), so the dense path computes.
        Multiply(a, aRows, aCols, transposeA, b, bRows, bCols, transposeB, c, accumulate);
    }

    /// <summary>
    /// C = Round(A)·op(B) through the sparse-left path, also writing the first <paramref name="roundedRows"/> rows
    /// of Round(A) into <paramref name="rounded"/>: TF's Round and the product in one pass over A (each row is
    /// rounded as the Round op rounds it (<see cref="RoundHalfEven"/>): row pairs in registers as they are gathered,
    /// a lone row into a per-thread row; rows past <paramref name="roundedRows"/> are not stored). False, with nothing
    /// written, on the scalar tier or when B holds an Inf or NaN (the caller then runs Round and the MatMul, whose
    /// dense path gives the NaNs that the zeros of Round(A) make with them).
    /// </summary>
    /// <param name="bias">When not empty (N values), each row of C gets it added: C is then Round(A)·op(B) + bias.</param>
    /// <param name="relu">When not empty (with a bias), receives max(C, 0) as TensorPrimitives.Max computes it.</param>
    public static bool MultiplySparseLeftRounding(
        ReadOnlySpan<float> a, int aRows, int aCols, Span<float> rounded, int roundedRows,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB, Span<float> c,
        ReadOnlySpan<float> bias = default, Span<float> relu = default)
    {
        GemmIsa isa = Isa;
        if (isa == GemmIsa.Scalar) return false;
        ArgumentOutOfRangeException.ThrowIfNegative(roundedRows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(roundedRows, aRows);
        if (rounded.Length < (long)roundedRows * aCols) throw new ArgumentException($"Rounded holds {rounded.Length} elements, fewer than {roundedRows}x{aCols}.", nameof(rounded));
        int columns = transposeB ? bRows : bCols;
        if (!bias.IsEmpty && bias.Length != columns) throw new ArgumentException($"The bias has {bias.Length} values for {columns} columns.", nameof(bias));
        if (!relu.IsEmpty && (bias.IsEmpty || relu.Length < (long)aRows * columns)) throw new ArgumentException("The ReLU output needs a bias and room for C.", nameof(relu));
        if (!Prologue(a, aRows, aCols, false, b, bRows, bCols, transposeB, c, false, out int m, out int n, out int k))
        {
            RoundHalfEven.Run(a[..(roundedRows * aCols)], rounded);
            // An empty inner dimension leaves C zero (cleared by the prologue); the epilogue still applies.
            fixed (float* pc = c, pBias = bias, pRelu = relu)
            {
                var empty = new SparseJob { C = pc, M = m, N = n, Bias = bias.IsEmpty ? null : pBias, Relu = relu.IsEmpty ? null : pRelu };
                SparseRows.Epilogue(&empty, 0, m);
            }
            return true;
        }
        fixed (float* pa = a, pb = b, pc = c, pr = rounded, pBias = bias, pRelu = relu)
        {
            var job = new SparseJob
            {
                A = pa,
                Lda = aCols,
                C = pc,
                M = m,
                N = n,
                K = k,
                Isa = isa,
                RoundInto = pr,
                RoundedRows = roundedRows,
                Bias = bias.IsEmpty ? null : pBias,
                Relu = relu.IsEmpty ? null : pRelu,
            };
            return Run(&job, pb, bRows, bCols, transposeB, &SparseRows.RunPart);
        }
    }

    /// <summary>
    /// Packs op(B) into the job and runs its parts, on two threads when worth it. False, with nothing computed, when
    /// B holds an Inf or NaN: leaving out a zero of A is exact only against a finite b (0·Inf and 0·NaN are NaN).
    /// </summary>
    private static bool Run(SparseJob* job, float* b, int bRows, int bCols, bool transposeB, delegate*<void*, int, void> part)
    {
        // op(B) row-major with rows padded to whole 64-byte lines: see SparseRows on why alignment matters.
        int n = job->N, k = job->K;
        job->Ldb = (n + 15) & ~15;
        job->B = (t_packedB ??= new ScratchBuffer()).Get<float>((nint)k * job->Ldb);
        if (!PackRowMajor(b, bRows, bCols, transposeB, k, n, job->B, job->Ldb))
            return false;
        KernelProbe.Took(KernelProbe.Path.SparseProduct);
        // About a sixth of the dense work at MNIST's density; the same break-even rule on the estimated flops.
        job->Parts = ChooseParts(job->M, n, Math.Max(1, k / 6));
        // Several parts per thread, claimed as threads come free: in a parallel plan run the helper may still be
        // finishing another op (a weight histogram) when the test-set product starts, and with one part per thread
        // the caller then ran both halves alone.
        if (job->Parts > 1) job->Parts = Math.Clamp(job->M / RowsPerPiece, job->Parts, PiecesPerThread * job->Parts);
        if (job->Parts < 2 || !GemmThreading.TryRun(part, job, job->Parts))
        {
            job->Parts = 1;
            part(job, 0);
        }
        return true;
    }

    /// <summary>
    /// op(B) (K x N) into <paramref name="packed"/> row-major with row stride <paramref name="ldb"/>, zero padded;
    /// false as soon as a packed row holds an Inf or NaN (checked right after the row is written, while it is in L1).
    /// </summary>
    private static bool PackRowMajor(float* b, int bRows, int bCols, bool transposeB, int k, int n, float* packed, int ldb)
    {
        for (int p = 0; p < k; p++)
        {
            float* row = packed + (nint)p * ldb;
            if (transposeB)
                for (int j = 0; j < n; j++)
                    row[j] = b[(nint)j * bCols + p];
            else
                new ReadOnlySpan<float>(b + (nint)p * bCols, n).CopyTo(new Span<float>(row, n));
            new Span<float>(row + n, ldb - n).Clear();
            if (!AllFinite(new ReadOnlySpan<float>(row, n)))
                return false;
        }
        return true;
    }

    /// <summary>Whether no value is an Inf or NaN (all exponent bits set).</summary>
    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        const int ExponentMask = 0x7F80_0000;
        var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(values);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(ExponentMask);
            var any = Vector256<int>.Zero;
            for (; i + 8 <= bits.Length; i += 8)
                any |= Vector256.Equals(Vector256.Create(bits.Slice(i, 8)) & mask, mask);
            if (any != Vector256<int>.Zero) return false;
        }
        for (; i < bits.Length; i++)
            if ((bits[i] & ExponentMask) == ExponentMask) return false;
        return true;
    }

    /// <summary>
    /// Whether a MatMul should take <see cref="MultiplySparseLeft"/>: A is float and at least
    /// <see cref="SparseZeroFraction"/> of a sample of its stored rows (up to 16, spread over A) is zero, and the
    /// product has more than <see cref="SmallNKernel.MaxN"/> columns (<paramref name="n"/>) and A more than
    /// <see cref="SmallKKernel.RowsReadingBInPlace"/> rows. Costs a few
    /// microseconds; a wrong guess only costs time, since both paths give the same bits (up to the sign of a -0
    /// accumulator, see the class remarks).
    /// </summary>
    /// <remarks>Why not for narrow products: the sparse kernels work on one row of C at a time, which for N ≤ 16 is
    /// one or two vectors per non-zero, so they wait on FMA latency (or, transposed, on C's loads and stores); the
    /// dense path was 1.6-6x faster at every density from 50% to 95% zeros on 10000x100xN, N = 10 and 16, both
    /// transposes. That covers the output layer's H·W2 and Hᵀ·dL, whose ReLU operand is 10-46% zeros during
    /// training (bench zeros) and could cross the threshold with dropout.</remarks>
    /// <param name="rounded">Judge Round(A) instead of A (its zeros are where |a| &lt;= 0.5: 0.5 rounds to even 0).</param>
    public static bool MatMulPrefersSparse(ReadOnlySpan<float> a, int aRows, int aCols, int n = int.MaxValue, bool rounded = false)
    {
        // One or two rows run dense: SmallKKernel reads B in place, where the sparse product copies and checks all of B.
        if (KernelPolicy.Reference || aRows <= SmallKKernel.RowsReadingBInPlace || aCols < 16 || (long)aRows * aCols < 1024 || n <= SmallNKernel.MaxN)
            return false;
        const int SampleRows = 16;
        int rows = Math.Min(SampleRows, aRows);
        long zeros = 0;
        for (int s = 0; s < rows; s++)
        {
            int row = (int)((long)s * aRows / rows);
            zeros += CountZeros(a.Slice(row * aCols, aCols), rounded);
        }
        return zeros >= SparseZeroFraction * rows * aCols;
    }

    /// <summary>Fraction of exact zeros (±0) in <paramref name="values"/>.</summary>
    public static double ZeroFraction(ReadOnlySpan<float> values) =>
        values.IsEmpty ? 0 : (double)CountZeros(values) / values.Length;

    /// <summary>Exact zeros (±0) in <paramref name="values"/>, or with <paramref name="rounded"/> the zeros of their Round.</summary>
    private static long CountZeros(ReadOnlySpan<float> values, bool rounded = false)
    {
        float limit = rounded ? 0.5f : 0f;
        long zeros = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vLimit = Vector256.Create(limit);
            for (; i + 8 <= values.Length; i += 8)
            {
                var v = Vector256.Abs(Vector256.Create(values.Slice(i, 8)));
                zeros += System.Numerics.BitOperations.PopCount(Vector256.LessThanOrEqual(v, vLimit).ExtractMostSignificantBits());
            }
        }
        for (; i < values.Length; i++)
            zeros += MathF.Abs(values[i]) <= limit ? 1 : 0;
        return zeros;
    }

    /// <summary>One sparse-left call, shared by all parts (lives on the caller's stack).</summary>
    internal struct SparseJob
    {
        public float* A;       // as stored: op(A) rows (SparseRows) or op(A) columns (SparseScatter), Lda apart
        public nint Lda;
        public float* B;       // op(B), K x N row-major, rows Ldb apart
        public int Ldb;        // N rounded up to 16 floats (64 bytes); the padding is zero
        public float* C;       // M x N row-major
        public int M, N, K;
        public bool Load;
        public GemmIsa Isa;
        public int Parts;
        /// <summary>When set, A is the input of a Round op: each row is rounded into this buffer (same layout
        /// as A) and gathered from there, so Round and the product read A once (SparseRows only).</summary>
        public float* RoundInto;
        /// <summary>With <see cref="RoundInto"/>: rows [0, RoundedRows) are rounded into it; later rows are rounded only in passing.</summary>
        public int RoundedRows;
        /// <summary>When set (N floats), added to every finished row of C (the row kernels; the transposed scatter has no epilogue).</summary>
        public float* Bias;
        /// <summary>When set, receives max(C, 0) of every finished row (after the bias).</summary>
        public float* Relu;
    }
}
