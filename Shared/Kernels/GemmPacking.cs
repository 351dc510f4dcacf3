using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
            {
                float* dst0 = packed + (nint)col0 * k;
                for (int p = k0; p < k1; p++)
                {
                    float* dst = dst0 + (nint)p * width;
                    float* src = b + p * brs + col0 * bcs;
                    if (bcs == 1)
                        new ReadOnlySpan<float>(src, valid).CopyTo(new Span<float>(dst, valid));
                    else
                        for (int j = 0; j < valid; j++)
                            dst[j] = src[j * bcs];
                    for (int j = valid; j < width; j++)
                        dst[j] = 0f;
                }
            }
            col0 += width;
        }
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

/// <summary>
/// A grow-only, 64-byte aligned native buffer, one per thread and purpose ([ThreadStatic] holders), so the
/// steady state allocates nothing. The finalizer frees the memory when the owning thread's holder dies.
/// </summary>
internal sealed unsafe class ScratchBuffer
{
    private void* _ptr;
    private nint _bytes;

    public T* Get<T>(nint count) where T : unmanaged
    {
        nint bytes = count * sizeof(T);
        if (bytes > _bytes)
        {
            NativeMemory.AlignedFree(_ptr);
            _ptr = null;
            _bytes = 0;
            nint grown = Math.Max(bytes, 4096);
            _ptr = NativeMemory.AlignedAlloc((nuint)grown, 64);
            _bytes = grown;
        }
        return (T*)_ptr;
    }

    ~ScratchBuffer() => NativeMemory.AlignedFree(_ptr);
}
