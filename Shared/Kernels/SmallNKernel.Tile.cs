using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

// The register-tile kernel of SmallNKernel: one block of rows of C, its tile's transposes in and out, and the
// packing of op(A)'s panels it reads.
internal static unsafe partial class SmallNKernel
{
    /// <summary>
    /// One block of V rows x TG.Value columns of C, of which rows [firstLane, rows) are stored. Column k of op(A)
    /// for the block is read at src + k * stride,
    /// or, with <paramref name="transpose"/>, taken from row-major A (src + l * stride + k, K ≥ 8) 8 columns at a
    /// time, transposed into one of two chunk buffers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<TOps, TVec, TG>(float* src, nint stride, bool transpose, float* chunks,
        float* b, nint ldb, int k, float* c, nint ldc, int firstLane, int rows, bool load, float* tile)
        where TOps : IVecOps<TVec> where TVec : struct where TG : struct, IVectorCount
    {
        int v = TOps.Width, g = TG.Value;
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        TVec c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c12 = TOps.Zero, c13 = TOps.Zero, c14 = TOps.Zero, c15 = TOps.Zero;
        if (load)
        {
            // Lane l of accumulator j starts as C[l, j]; lanes past the block's rows (M < V only) start at 0 and
            // are never stored.
            if (rows < v)
                new Span<float>(tile, g * v).Clear();
            for (int l = 0; l < rows; l++)
                RowIn<TG>(c + l * ldc, tile + l, v);
            c0 = TOps.Load(tile);
            if (g > 1) c1 = TOps.Load(tile + v);
            if (g > 2) c2 = TOps.Load(tile + 2 * v);
            if (g > 3) c3 = TOps.Load(tile + 3 * v);
            if (g > 4) c4 = TOps.Load(tile + 4 * v);
            if (g > 5) c5 = TOps.Load(tile + 5 * v);
            if (g > 6) c6 = TOps.Load(tile + 6 * v);
            if (g > 7) c7 = TOps.Load(tile + 7 * v);
            if (g > 8) c8 = TOps.Load(tile + 8 * v);
            if (g > 9) c9 = TOps.Load(tile + 9 * v);
            if (g > 10) c10 = TOps.Load(tile + 10 * v);
            if (g > 11) c11 = TOps.Load(tile + 11 * v);
            if (g > 12) c12 = TOps.Load(tile + 12 * v);
            if (g > 13) c13 = TOps.Load(tile + 13 * v);
            if (g > 14) c14 = TOps.Load(tile + 14 * v);
            if (g > 15) c15 = TOps.Load(tile + 15 * v);
        }

        // Chunk c holds columns [8c, 8c + 8) of the block, except that the last one is taken as the 8 columns
        // ending at K (overlapping its predecessor) so that every chunk is one full 8 x 8 transpose.
        if (transpose)
            TransposeChunk(src, stride, v, chunks);
        for (int p0 = 0, chunk = 0; p0 < k; p0 += Chunk, chunk++)
        {
            float* x;
            nint xs;
            if (!transpose)
            {
                x = src + p0 * stride;
                xs = stride;
            }
            else
            {
                // Double buffered: this chunk was transposed one chunk ago, and the next one is transposed now,
                // so the FMAs never load a line whose stores are still in flight (a load that spans two pending
                // stores cannot be forwarded and stalls: one buffer measured 30% slower than two, and slower
                // than packing the whole panel first).
                x = chunks + (chunk & 1) * Chunk * v + (p0 - Math.Min(p0, k - Chunk)) * v;
                xs = v;
                if (p0 + Chunk < k)
                    TransposeChunk(src + Math.Min(p0 + Chunk, k - Chunk), stride, v, chunks + ((chunk + 1) & 1) * Chunk * v);
            }
            float* bp = b + p0 * ldb;
            int steps = Math.Min(Chunk, k - p0);
            for (int q = 0; q < steps; q++)
            {
                TVec a = TOps.Load(x);
                c0 = TOps.Fma(a, TOps.Broadcast(bp[0]), c0);
                if (g > 1) c1 = TOps.Fma(a, TOps.Broadcast(bp[1]), c1);
                if (g > 2) c2 = TOps.Fma(a, TOps.Broadcast(bp[2]), c2);
                if (g > 3) c3 = TOps.Fma(a, TOps.Broadcast(bp[3]), c3);
                if (g > 4) c4 = TOps.Fma(a, TOps.Broadcast(bp[4]), c4);
                if (g > 5) c5 = TOps.Fma(a, TOps.Broadcast(bp[5]), c5);
                if (g > 6) c6 = TOps.Fma(a, TOps.Broadcast(bp[6]), c6);
                if (g > 7) c7 = TOps.Fma(a, TOps.Broadcast(bp[7]), c7);
                if (g > 8) c8 = TOps.Fma(a, TOps.Broadcast(bp[8]), c8);
                if (g > 9) c9 = TOps.Fma(a, TOps.Broadcast(bp[9]), c9);
                if (g > 10) c10 = TOps.Fma(a, TOps.Broadcast(bp[10]), c10);
                if (g > 11) c11 = TOps.Fma(a, TOps.Broadcast(bp[11]), c11);
                if (g > 12) c12 = TOps.Fma(a, TOps.Broadcast(bp[12]), c12);
                if (g > 13) c13 = TOps.Fma(a, TOps.Broadcast(bp[13]), c13);
                if (g > 14) c14 = TOps.Fma(a, TOps.Broadcast(bp[14]), c14);
                if (g > 15) c15 = TOps.Fma(a, TOps.Broadcast(bp[15]), c15);
                x += xs;
                bp += ldb;
            }
        }

        TOps.Store(tile, c0);
        if (g > 1) TOps.Store(tile + v, c1);
        if (g > 2) TOps.Store(tile + 2 * v, c2);
        if (g > 3) TOps.Store(tile + 3 * v, c3);
        if (g > 4) TOps.Store(tile + 4 * v, c4);
        if (g > 5) TOps.Store(tile + 5 * v, c5);
        if (g > 6) TOps.Store(tile + 6 * v, c6);
        if (g > 7) TOps.Store(tile + 7 * v, c7);
        if (g > 8) TOps.Store(tile + 8 * v, c8);
        if (g > 9) TOps.Store(tile + 9 * v, c9);
        if (g > 10) TOps.Store(tile + 10 * v, c10);
        if (g > 11) TOps.Store(tile + 11 * v, c11);
        if (g > 12) TOps.Store(tile + 12 * v, c12);
        if (g > 13) TOps.Store(tile + 13 * v, c13);
        if (g > 14) TOps.Store(tile + 14 * v, c14);
        if (g > 15) TOps.Store(tile + 15 * v, c15);
        for (int l = firstLane; l < rows; l++)
            RowOut<TG>(tile + l, v, c + l * ldc);
    }

    // The tile transposes, one row of C at a time, unrolled: TG.Value is a constant to the JIT, so each is g
    // scalar load/store pairs at fixed offsets. As a loop over j the copy-out was a fifth of the kernel's time at
    // 100x100x10 (a dozen instructions per element); unrolled it is two.

    /// <summary>t[j * v] = c[j] for j &lt; TG.Value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowIn<TG>(float* c, float* t, nint v) where TG : struct, IVectorCount
    {
        int g = TG.Value;
        t[0] = c[0];
        if (g > 1) t[v] = c[1];
        if (g > 2) t[2 * v] = c[2];
        if (g > 3) t[3 * v] = c[3];
        if (g > 4) t[4 * v] = c[4];
        if (g > 5) t[5 * v] = c[5];
        if (g > 6) t[6 * v] = c[6];
        if (g > 7) t[7 * v] = c[7];
        if (g > 8) t[8 * v] = c[8];
        if (g > 9) t[9 * v] = c[9];
        if (g > 10) t[10 * v] = c[10];
        if (g > 11) t[11 * v] = c[11];
        if (g > 12) t[12 * v] = c[12];
        if (g > 13) t[13 * v] = c[13];
        if (g > 14) t[14 * v] = c[14];
        if (g > 15) t[15 * v] = c[15];
    }

    /// <summary>c[j] = t[j * v] for j &lt; TG.Value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowOut<TG>(float* t, nint v, float* c) where TG : struct, IVectorCount
    {
        int g = TG.Value;
        c[0] = t[0];
        if (g > 1) c[1] = t[v];
        if (g > 2) c[2] = t[2 * v];
        if (g > 3) c[3] = t[3 * v];
        if (g > 4) c[4] = t[4 * v];
        if (g > 5) c[5] = t[5 * v];
        if (g > 6) c[6] = t[6 * v];
        if (g > 7) c[7] = t[7 * v];
        if (g > 8) c[8] = t[8 * v];
        if (g > 9) c[9] = t[9 * v];
        if (g > 10) c[10] = t[10 * v];
        if (g > 11) c[11] = t[11 * v];
        if (g > 12) c[12] = t[12 * v];
        if (g > 13) c[13] = t[13 * v];
        if (g > 14) c[14] = t[14 * v];
        if (g > 15) c[15] = t[15 * v];
    }

    /// <summary>
    /// Columns [0, 8) of <paramref name="v"/> (8 or 16) rows of row-major A (row stride <paramref name="lda"/>)
    /// into dst as 8 rows of v floats: dst[p * v + l] = a[l * lda + p]. Callers check <see cref="Avx.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeChunk(float* a, nint lda, int v, float* dst)
    {
        GemmPacking.Transpose8x8(a, lda, dst, v);
        if (v == 16)
            GemmPacking.Transpose8x8(a + 8 * lda, lda, dst + 8, v);
    }

    /// <summary>
    /// <paramref name="rows"/> (≤ v) rows x <paramref name="k"/> columns of op(A) into dst[p * v + l], zero rows
    /// below: with AVX and full row-major blocks 8 x 8 at a time, else element by element (edge blocks, other CPUs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(float* a, nint ars, nint acs, int rows, int k, int v, float* dst)
    {
        int p = 0;
        if (rows == v && acs == 1 && v >= 8 && Avx.IsSupported)
        {
            for (; p + Chunk <= k; p += Chunk)
                TransposeChunk(a + p, ars, v, dst + p * v);
        }
        for (; p < k; p++)
        {
            float* d = dst + p * v;
            for (int l = 0; l < v; l++)
                d[l] = l < rows ? a[l * ars + p * acs] : 0f;
        }
    }
}
