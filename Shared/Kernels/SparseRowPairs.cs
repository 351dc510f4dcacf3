using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>
/// The AVX-512 sparse-left rows two at a time: one list of the columns where either row is non-zero,
/// with both rows' values, so each B row loaded from L2 feeds two rows of C.
/// </summary>
/// <remarks>
/// The single-row kernel (<see cref="SparseRows"/>) is bound by moving B's rows from L2 into the core,
/// 7 cache lines per non-zero at N = 100. Two binarised digit images share many of their stroke pixels,
/// so the union of their non-zeros is well under twice one row's: fewer line loads per row of C, for
/// twice the FMAs per load, which the core has to spare. A column that is zero in one of the two rows adds
/// the exact term 0 · b to that row's chain, as the dense path does for every zero, so the bits are those of
/// <see cref="Gemm.Multiply"/> (with the same caveats as the single-row kernel, see Gemm's sparse entry).
/// </remarks>
internal static unsafe class SparseRowPairs
{
    /// <summary>Rows [r0, r1) in pairs (an odd last row is left to the caller); returns the first row not done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run(Gemm.SparseJob* job, int r0, int r1)
    {
        int n = job->N, k = job->K;
        if (!Avx512F.IsSupported || n < 16 || n > 8 * 16) return r0;
        SparseGather.Lists(k, out int* offsets, out float* values0, out float* values1, out _, out _);
        int i = r0;
        nint rowBytes = (nint)job->Lda * sizeof(float);
        for (; i + 1 < r1; i += 2)
        {
            // The stored A (the 31 MB test set) streams from memory, and a pair's FMAs take long enough to
            // hide the next pair's two rows behind them; the hardware prefetcher alone left the rounding loads
            // waiting on memory. Two pairs ahead measured no better (tests/Bench/README.md).
            if (i + 3 < r1)
                Prefetch((byte*)(job->A + (nint)(i + 2) * job->Lda), 2 * rowBytes);
            int count = job->RoundInto is null
                ? Union<AsStored>(job->A + (nint)i * job->Lda, job->A + (nint)(i + 1) * job->Lda, k, job->Ldb, offsets, values0, values1)
                : Union<Rounded>(SparseRows.RawRowStoringRound(job, i), SparseRows.RawRowStoringRound(job, i + 1), k, job->Ldb, offsets, values0, values1);
            float* c0 = job->C + (nint)i * n;
            float* relu0 = job->Relu is null ? null : job->Relu + (nint)i * n;
            switch ((n + 15) / 16)
            {
                case 1: Block<One>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 2: Block<Two>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 3: Block<Three>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 4: Block<Four>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 5: Block<Five>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 6: Block<Six>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                case 7: Block<Seven>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
                default: Block<Eight>(offsets, values0, values1, count, job->B, c0, n, job->Load, job->Bias, relu0); break;
            }
        }
        return i;
    }

    /// <summary>Asks for [start, start + bytes) in L2 (line by line).</summary>
    private static void Prefetch(byte* start, nint bytes)
    {
        for (nint offset = 0; offset < bytes; offset += 64)
            Sse.Prefetch1(start + offset);
    }

    /// <summary>
    /// For p in [0, k) ascending where T(x0[p]) or T(x1[p]) is non-zero: p * scale into <paramref name="offsets"/>
    /// and both values (one may be zero); returns how many. Lists need k + <see cref="SparseGather.Overhang"/> slots.
    /// A fused Round is applied here in registers (T = <see cref="Rounded"/>): the rows are read once, from
    /// memory, with no rounded copy stored and read back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Union<T>(float* x0, float* x1, int k, int scale, int* offsets, float* values0, float* values1)
        where T : struct, IGatherTransform
    {
        int count = 0, p = 0;
        var offset = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * scale;
        var step = Vector512.Create(16 * scale);
        var magnitude = Vector512.Create(0x7FFF_FFFFu);
        for (; p + 16 <= k; p += 16, offset += step)
        {
            var v0 = T.Apply(Vector512.Load(x0 + p));
            var v1 = T.Apply(Vector512.Load(x1 + p));
            // A lane is kept unless both values are ±0: their bits, sign aside, OR to zero only then.
            var keep = ~Vector512.Equals((v0.AsUInt32() | v1.AsUInt32()) & magnitude, Vector512<uint>.Zero);
            // No branch for the all-zero blocks (the margins): which blocks of a digit are empty varies row to row,
            // and the mispredictions cost more than three compresses that store nothing (tests/Bench/README.md).
            ulong lanes = keep.ExtractMostSignificantBits();
            Avx512F.Compress(Vector512<float>.Zero, keep.AsSingle(), v0).Store(values0 + count);
            Avx512F.Compress(Vector512<float>.Zero, keep.AsSingle(), v1).Store(values1 + count);
            Avx512F.Compress(Vector512<int>.Zero, keep.AsInt32(), offset).Store(offsets + count);
            count += BitOperations.PopCount(lanes);
        }
        for (; p < k; p++)
        {
            float u0 = T.Apply(x0[p]), u1 = T.Apply(x1[p]);
            offsets[count] = p * scale;
            values0[count] = u0;
            values1[count] = u1;
            count += u0 != 0f || u1 != 0f ? 1 : 0;
        }
        return count;
    }

    /// <summary>
    /// Both rows' TN vectors of C (row 1 at c + n). The vectors sit at fixed multiples of 16 columns, so the JIT
    /// addresses B and C with constant displacements: with run-time offsets for a shifted last vector the loop ran
    /// out of general registers and spilled two pointers through the stack on every non-zero. The last vector
    /// reaches into B's zero padding (rows are <see cref="Gemm.SparseJob.Ldb"/> = 16 x TN apart); its lanes past
    /// column n are never loaded from or stored to C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TN>(int* offsets, float* values0, float* values1, int count, float* b, float* c, int n, bool load,
        float* bias, float* relu)
        where TN : struct, IVectorCount
    {
        int nv = TN.Value;
        var tail = Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(n - 16 * (nv - 1))).AsSingle();
        float* d = c + n;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default, e4 = default, e5 = default, e6 = default, e7 = default;
        if (load)
        {
            if (nv > 1) { a0 = Vector512.Load(c); e0 = Vector512.Load(d); }
            if (nv > 2) { a1 = Vector512.Load(c + 16); e1 = Vector512.Load(d + 16); }
            if (nv > 3) { a2 = Vector512.Load(c + 32); e2 = Vector512.Load(d + 32); }
            if (nv > 4) { a3 = Vector512.Load(c + 48); e3 = Vector512.Load(d + 48); }
            if (nv > 5) { a4 = Vector512.Load(c + 64); e4 = Vector512.Load(d + 64); }
            if (nv > 6) { a5 = Vector512.Load(c + 80); e5 = Vector512.Load(d + 80); }
            if (nv > 7) { a6 = Vector512.Load(c + 96); e6 = Vector512.Load(d + 96); }
            int last = 16 * (nv - 1);
            var lastA = Avx512F.MaskLoad(c + last, tail, Vector512<float>.Zero);
            var lastE = Avx512F.MaskLoad(d + last, tail, Vector512<float>.Zero);
            switch (nv)
            {
                case 1: (a0, e0) = (lastA, lastE); break;
                case 2: (a1, e1) = (lastA, lastE); break;
                case 3: (a2, e2) = (lastA, lastE); break;
                case 4: (a3, e3) = (lastA, lastE); break;
                case 5: (a4, e4) = (lastA, lastE); break;
                case 6: (a5, e5) = (lastA, lastE); break;
                case 7: (a6, e6) = (lastA, lastE); break;
                default: (a7, e7) = (lastA, lastE); break;
            }
        }
        for (int t = 0; t < count; t++)
        {
            var x = Vector512.Create(values0[t]);
            var y = Vector512.Create(values1[t]);
            float* r = b + offsets[t];
            var v = Vector512.Load(r); a0 = Avx512F.FusedMultiplyAdd(x, v, a0); e0 = Avx512F.FusedMultiplyAdd(y, v, e0);
            if (nv > 1) { v = Vector512.Load(r + 16); a1 = Avx512F.FusedMultiplyAdd(x, v, a1); e1 = Avx512F.FusedMultiplyAdd(y, v, e1); }
            if (nv > 2) { v = Vector512.Load(r + 32); a2 = Avx512F.FusedMultiplyAdd(x, v, a2); e2 = Avx512F.FusedMultiplyAdd(y, v, e2); }
            if (nv > 3) { v = Vector512.Load(r + 48); a3 = Avx512F.FusedMultiplyAdd(x, v, a3); e3 = Avx512F.FusedMultiplyAdd(y, v, e3); }
            if (nv > 4) { v = Vector512.Load(r + 64); a4 = Avx512F.FusedMultiplyAdd(x, v, a4); e4 = Avx512F.FusedMultiplyAdd(y, v, e4); }
            if (nv > 5) { v = Vector512.Load(r + 80); a5 = Avx512F.FusedMultiplyAdd(x, v, a5); e5 = Avx512F.FusedMultiplyAdd(y, v, e5); }
            if (nv > 6) { v = Vector512.Load(r + 96); a6 = Avx512F.FusedMultiplyAdd(x, v, a6); e6 = Avx512F.FusedMultiplyAdd(y, v, e6); }
            if (nv > 7) { v = Vector512.Load(r + 112); a7 = Avx512F.FusedMultiplyAdd(x, v, a7); e7 = Avx512F.FusedMultiplyAdd(y, v, e7); }
        }
        if (bias is not null)
        {
            // The epilogue (see SparseRows.Epilogue) in registers: the same IEEE additions as the Add op's.
            var last = Avx512F.MaskLoad(bias + 16 * (nv - 1), tail, Vector512<float>.Zero);
            var v = BiasVector(bias, 0, nv, last); a0 += v; e0 += v;
            if (nv > 1) { v = BiasVector(bias, 1, nv, last); a1 += v; e1 += v; }
            if (nv > 2) { v = BiasVector(bias, 2, nv, last); a2 += v; e2 += v; }
            if (nv > 3) { v = BiasVector(bias, 3, nv, last); a3 += v; e3 += v; }
            if (nv > 4) { v = BiasVector(bias, 4, nv, last); a4 += v; e4 += v; }
            if (nv > 5) { v = BiasVector(bias, 5, nv, last); a5 += v; e5 += v; }
            if (nv > 6) { v = BiasVector(bias, 6, nv, last); a6 += v; e6 += v; }
            if (nv > 7) { v = BiasVector(bias, 7, nv, last); a7 += v; e7 += v; }
        }
        Store<TN>(c, n, tail, a0, a1, a2, a3, a4, a5, a6, a7, e0, e1, e2, e3, e4, e5, e6, e7);
        if (relu is not null)
        {
            // Vector512.Max is IEEE 754 maximum, as TensorPrimitives.Max (the Relu op's kernel) computes it.
            var zero = Vector512<float>.Zero;
            Store<TN>(relu, n, tail, Vector512.Max(a0, zero), Vector512.Max(a1, zero), Vector512.Max(a2, zero), Vector512.Max(a3, zero),
                Vector512.Max(a4, zero), Vector512.Max(a5, zero), Vector512.Max(a6, zero), Vector512.Max(a7, zero),
                Vector512.Max(e0, zero), Vector512.Max(e1, zero), Vector512.Max(e2, zero), Vector512.Max(e3, zero),
                Vector512.Max(e4, zero), Vector512.Max(e5, zero), Vector512.Max(e6, zero), Vector512.Max(e7, zero));
        }
    }

    /// <summary>The bias's vector j of nv, the last one already loaded masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BiasVector(float* bias, int j, int nv, Vector512<float> last) =>
        j < nv - 1 ? Vector512.Load(bias + 16 * j) : last;

    /// <summary>Both rows' TN vectors to c and c + n, the last masked to end at column n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TN>(float* c, int n, Vector512<float> tail,
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7,
        Vector512<float> e0, Vector512<float> e1, Vector512<float> e2, Vector512<float> e3,
        Vector512<float> e4, Vector512<float> e5, Vector512<float> e6, Vector512<float> e7)
        where TN : struct, IVectorCount
    {
        int nv = TN.Value;
        float* d = c + n;
        // Row 0's stores cannot touch row 1's inputs (C does not overlap A or B), so order does not matter here.
        if (nv > 1) { a0.Store(c); e0.Store(d); }
        if (nv > 2) { a1.Store(c + 16); e1.Store(d + 16); }
        if (nv > 3) { a2.Store(c + 32); e2.Store(d + 32); }
        if (nv > 4) { a3.Store(c + 48); e3.Store(d + 48); }
        if (nv > 5) { a4.Store(c + 64); e4.Store(d + 64); }
        if (nv > 6) { a5.Store(c + 80); e5.Store(d + 80); }
        if (nv > 7) { a6.Store(c + 96); e6.Store(d + 96); }
        var (endA, endE) = nv switch
        {
            1 => (a0, e0),
            2 => (a1, e1),
            3 => (a2, e2),
            4 => (a3, e3),
            5 => (a4, e4),
            6 => (a5, e5),
            7 => (a6, e6),
            _ => (a7, e7),
        };
        Avx512F.MaskStore(c + 16 * (nv - 1), tail, endA);
        Avx512F.MaskStore(d + 16 * (nv - 1), tail, endE);
    }
}
