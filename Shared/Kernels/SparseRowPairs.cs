using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        SparseGather.Lists(k, out int* offsets, out float* values0, out float* values1, out float* scratch0, out float* scratch1);
        int i = r0;
        nint rowBytes = (nint)job->Lda * sizeof(float);
        for (; i + 1 < r1; i += 2)
        {
            // The stored A (the 31 MB test set) streams from memory, and a pair's FMAs take long enough to
            // hide the next pair's two rows behind them; the hardware prefetcher alone left the rounding loads
            // waiting on memory (perf: ~12% of a training run in Round's loads). Two pairs ahead measured no
            // better (bench sparse, min of runs: 3.5-4.4 ms with prefetching, 4.6-5.1 ms without).
            if (i + 3 < r1)
                Prefetch((byte*)(job->A + (nint)(i + 2) * job->Lda), 2 * rowBytes);
            int count = Union(SparseRows.Row(job, i, scratch0), SparseRows.Row(job, i + 1, scratch1), k, job->Ldb, offsets, values0, values1);
            float* c0 = job->C + (nint)i * n;
            switch ((n + 15) / 16)
            {
                case 1: Block<One>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 2: Block<Two>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 3: Block<Three>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 4: Block<Four>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 5: Block<Five>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 6: Block<Six>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                case 7: Block<Seven>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
                default: Block<Eight>(offsets, values0, values1, count, job->B, c0, n, job->Load); break;
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
    /// For p in [0, k) ascending where x0[p] or x1[p] is non-zero: p * scale into <paramref name="offsets"/>
    /// and both values (one may be zero); returns how many. Lists need k + <see cref="SparseGather.Overhang"/> slots.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Union(float* x0, float* x1, int k, int scale, int* offsets, float* values0, float* values1)
    {
        int count = 0, p = 0;
        var offset = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * scale;
        var step = Vector512.Create(16 * scale);
        for (; p + 16 <= k; p += 16, offset += step)
        {
            var v0 = Vector512.Load(x0 + p);
            var v1 = Vector512.Load(x1 + p);
            var keep = ~(Vector512.Equals(v0, Vector512<float>.Zero) & Vector512.Equals(v1, Vector512<float>.Zero));
            if (keep == Vector512<float>.Zero) continue; // margins: whole blocks of zeros in both images
            Avx512F.Compress(Vector512<float>.Zero, keep, v0).Store(values0 + count);
            Avx512F.Compress(Vector512<float>.Zero, keep, v1).Store(values1 + count);
            Avx512F.Compress(Vector512<int>.Zero, keep.AsInt32(), offset).Store(offsets + count);
            count += BitOperations.PopCount(keep.ExtractMostSignificantBits());
        }
        for (; p < k; p++)
        {
            offsets[count] = p * scale;
            values0[count] = x0[p];
            values1[count] = x1[p];
            count += x0[p] != 0f || x1[p] != 0f ? 1 : 0;
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
    private static void Block<TN>(int* offsets, float* values0, float* values1, int count, float* b, float* c, int n, bool load)
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
            1 => (a0, e0), 2 => (a1, e1), 3 => (a2, e2), 4 => (a3, e3), 5 => (a4, e4), 6 => (a5, e5), 7 => (a6, e6), _ => (a7, e7),
        };
        Avx512F.MaskStore(c + 16 * (nv - 1), tail, endA);
        Avx512F.MaskStore(d + 16 * (nv - 1), tail, endE);
    }
}
