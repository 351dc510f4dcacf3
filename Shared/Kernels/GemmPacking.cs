using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TfMnist.Kernels;

/// <summary>
/// Column-panel layout of op(B) and the packing routines.
/// </summary>
/// <remarks>
/// op(B) (K x N) is cut into panels of <c>wide</c> = 2 vectors (32 floats for AVX-512), and a last panel
/// that is zero-padded to 1 or 2 vectors. Panel starting at column col0 is stored at packed + col0 * K as
/// K rows of <c>width</c> floats (every panel but the last is unpadded, so col0 * K is its offset).
/// B is always packed: reading the full-width panels straight from a non-transposed B (row stride N, so every
/// 128-byte row of a panel straddles cache lines) measured no faster, even on the 0.1 ms training-step
/// products where the copy is proportionally largest; packed panels are 64-byte aligned and contiguous, and a
/// power-of-two N cannot alias cache sets. The packing is split across the threads by K rows.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Width of the panel starting where <paramref name="remaining"/> columns are left.</summary>
    public static int PanelWidth(int remaining, int vec) => remaining > vec ? 2 * vec : vec;

    /// <summary>Floats needed for the packed panels (all of N rounded up to a vector, times K).</summary>
    public static nint PackedSize(int n, int k, int vec) => (nint)((n + vec - 1) / vec * vec) * k;

    /// <summary>Packs rows [k0, k1) of every panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, nint brs, nint bcs, int n, int k, int vec, float* packed, int k0, int k1)
    {
        for (int col0 = 0; col0 < n;)
        {
            int width = PanelWidth(n - col0, vec);
            int valid = Math.Min(width, n - col0);
            float* dst0 = packed + (nint)col0 * k;
            int p = k0;
            if (brs == 1 && Avx.IsSupported)
            {
                // op(B) = Bᵀ (dH = dL·W2ᵀ): op(B)'s rows are B's columns, so element by element this is a strided
                // gather; 8 x 8 transposes of B's rows instead took the packing from a sixth of the K = 10 product
                // to (measured) a few percent. The k and column remainders fall through to the loop below.
                for (; p + 8 <= k1; p += 8)
                {
                    int j = 0;
                    for (; j + 8 <= valid; j += 8)
                        Transpose8x8(b + p + (col0 + j) * bcs, bcs, dst0 + (nint)p * width + j, width);
                    for (int q = p; q < p + 8; q++)
                        PackRow(b + q + col0 * bcs, bcs, dst0 + (nint)q * width, j, valid, width);
                }
            }
            for (; p < k1; p++)
                PackRow(b + p * brs + col0 * bcs, bcs, dst0 + (nint)p * width, 0, valid, width);
            col0 += width;
        }
    }

    /// <summary>dst[j] = src[j * bcs] for j in [from, valid), then zeros up to width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackRow(float* src, nint bcs, float* dst, int from, int valid, int width)
    {
        if (bcs == 1)
            new ReadOnlySpan<float>(src + from, valid - from).CopyTo(new Span<float>(dst + from, valid - from));
        else
            for (int j = from; j < valid; j++)
                dst[j] = src[j * bcs];
        for (int j = valid; j < width; j++)
            dst[j] = 0f;
    }

    /// <summary>
    /// The classic AVX 8 x 8 transpose: rows r and r + 4 are loaded as the two halves of one register (the
    /// insert takes its half straight from memory), then two rounds of in-lane unpacks/shuffles finish it.
    /// dst[p * ldd + r] = src[r * lds + p] for r, p in [0, 8). Callers check <see cref="Avx.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        // r0 = [row 0 | row 4] columns 0-3, ..., r4 = [row 0 | row 4] columns 4-7, ...
        var r0 = Avx.InsertVector128(Vector128.Load(src).ToVector256Unsafe(), Vector128.Load(src + 4 * lds), 1);
        var r1 = Avx.InsertVector128(Vector128.Load(src + lds).ToVector256Unsafe(), Vector128.Load(src + 5 * lds), 1);
        var r2 = Avx.InsertVector128(Vector128.Load(src + 2 * lds).ToVector256Unsafe(), Vector128.Load(src + 6 * lds), 1);
        var r3 = Avx.InsertVector128(Vector128.Load(src + 3 * lds).ToVector256Unsafe(), Vector128.Load(src + 7 * lds), 1);
        var r4 = Avx.InsertVector128(Vector128.Load(src + 4).ToVector256Unsafe(), Vector128.Load(src + 4 * lds + 4), 1);
        var r5 = Avx.InsertVector128(Vector128.Load(src + lds + 4).ToVector256Unsafe(), Vector128.Load(src + 5 * lds + 4), 1);
        var r6 = Avx.InsertVector128(Vector128.Load(src + 2 * lds + 4).ToVector256Unsafe(), Vector128.Load(src + 6 * lds + 4), 1);
        var r7 = Avx.InsertVector128(Vector128.Load(src + 3 * lds + 4).ToVector256Unsafe(), Vector128.Load(src + 7 * lds + 4), 1);
        // t0 = [r0c0 r1c0 r0c1 r1c1 | same for rows 4, 5], ...
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        Avx.Shuffle(t0, t2, 0x44).Store(dst);
        Avx.Shuffle(t0, t2, 0xEE).Store(dst + ldd);
        Avx.Shuffle(t1, t3, 0x44).Store(dst + 2 * ldd);
        Avx.Shuffle(t1, t3, 0xEE).Store(dst + 3 * ldd);
        Avx.Shuffle(t4, t6, 0x44).Store(dst + 4 * ldd);
        Avx.Shuffle(t4, t6, 0xEE).Store(dst + 5 * ldd);
        Avx.Shuffle(t5, t7, 0x44).Store(dst + 6 * ldd);
        Avx.Shuffle(t5, t7, 0xEE).Store(dst + 7 * ldd);
    }


    /// <summary>Copies <paramref name="rows"/> (&lt; MR) rows of op(A) into an MR x K block, zero rows below,
    /// so the edge row block can use the full micro-kernel (rs = K, cs = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackEdgeA(float* a, nint rs, nint cs, int rows, int k, float* dst)
    {
        for (int r = 0; r < MicroKernel.MR; r++)
        {
            float* d = dst + (nint)r * k;
            if (r >= rows)
            {
                new Span<float>(d, k).Clear();
                continue;
            }
            float* src = a + r * rs;
            if (cs == 1)
                new ReadOnlySpan<float>(src, k).CopyTo(new Span<float>(d, k));
            else
                for (int p = 0; p < k; p++)
                    d[p] = src[p * cs];
        }
    }
}
