using System.Runtime.CompilerServices;
namespace TfMnist.Kernels;

/// <summary>
/// Register-blocked micro-kernels: C[6 x w] (+)= A[6 x k] · B[k x w], with w = 2 vectors (Wide) or
/// 1 vector (Narrow). For Vector512 that is 6x32 / 6x16, for Vector256 (AVX2) 6x16 / 6x8.
/// </summary>
/// <remarks>
/// Why 6 x 2 vectors: 12 accumulators + 2 B vectors + 1 broadcast = 15 registers, which fits both
/// AVX2's 16 ymm registers and leaves AVX-512's 32 zmm room; 12 independent FMA chains cover the
/// FMA latency (4 cycles) x throughput (2/cycle) product of 8 on Zen 4/5 and Intel cores.
/// Per k step: 2 vector loads of B + 6 scalar broadcasts of A feed 12 FMAs, below the 2-3 loads/cycle limit.
///
/// Summation order (the contract shared with the sparse products (GemmSparse.cs) and the scalar path): every
/// C element is one accumulator, initialised to +0 (or to the old C when <c>load</c>), updated by
/// acc = fma(a[i,p], b[p,j], acc) for p ascending. Callers that split K store acc to C and call again
/// with load = true, which continues the identical chain because acc is a float either way.
///
/// A is read in place: element (r, p) is at a[r * rs + p * cs], so both A and Aᵀ work without packing.
/// B is a panel: element (p, j) at b[p * ldb + j], either packed (ldb = w) or the row-major matrix itself.
///
/// Hot kernels are marked AggressiveOptimization: they are called few times with long loops inside, so tiered
/// compilation would otherwise run them as Tier-0 / OSR code for the first several calls.
/// </remarks>
internal static unsafe class MicroKernel
{
    public const int MR = 6;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Wide<TOps, TVec>(float* a, nint rs, nint cs, float* b, nint ldb, int k, float* c, nint ldc, bool load)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        nint w = TOps.Width;
        TVec c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load)
        {
            c00 = TOps.Load(c); c01 = TOps.Load(c + w);
            c10 = TOps.Load(c + ldc); c11 = TOps.Load(c + ldc + w);
            c20 = TOps.Load(c + 2 * ldc); c21 = TOps.Load(c + 2 * ldc + w);
            c30 = TOps.Load(c + 3 * ldc); c31 = TOps.Load(c + 3 * ldc + w);
            c40 = TOps.Load(c + 4 * ldc); c41 = TOps.Load(c + 4 * ldc + w);
            c50 = TOps.Load(c + 5 * ldc); c51 = TOps.Load(c + 5 * ldc + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = TOps.Zero;
        }

        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs;
        nint off = 0;
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(b), b1 = TOps.Load(b + w);
            TVec x = TOps.Broadcast(a0[off]);
            c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01);
            x = TOps.Broadcast(a1[off]);
            c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11);
            x = TOps.Broadcast(a2[off]);
            c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21);
            x = TOps.Broadcast(a3[off]);
            c30 = TOps.Fma(x, b0, c30); c31 = TOps.Fma(x, b1, c31);
            x = TOps.Broadcast(a4[off]);
            c40 = TOps.Fma(x, b0, c40); c41 = TOps.Fma(x, b1, c41);
            x = TOps.Broadcast(a5[off]);
            c50 = TOps.Fma(x, b0, c50); c51 = TOps.Fma(x, b1, c51);
            off += cs;
            b += ldb;
        }

        TOps.Store(c, c00); TOps.Store(c + w, c01);
        TOps.Store(c + ldc, c10); TOps.Store(c + ldc + w, c11);
        TOps.Store(c + 2 * ldc, c20); TOps.Store(c + 2 * ldc + w, c21);
        TOps.Store(c + 3 * ldc, c30); TOps.Store(c + 3 * ldc + w, c31);
        TOps.Store(c + 4 * ldc, c40); TOps.Store(c + 4 * ldc + w, c41);
        TOps.Store(c + 5 * ldc, c50); TOps.Store(c + 5 * ldc + w, c51);
    }

    /// <summary>6 x 1 vector: used for the last, zero-padded column panel when it is at most one vector wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Narrow<TOps, TVec>(float* a, nint rs, nint cs, float* b, nint ldb, int k, float* c, nint ldc, bool load)
        where TOps : IVecOps<TVec> where TVec : struct
    {
        TVec c0, c1, c2, c3, c4, c5;
        if (load)
        {
            c0 = TOps.Load(c); c1 = TOps.Load(c + ldc); c2 = TOps.Load(c + 2 * ldc);
            c3 = TOps.Load(c + 3 * ldc); c4 = TOps.Load(c + 4 * ldc); c5 = TOps.Load(c + 5 * ldc);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = TOps.Zero;
        }

        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs;
        nint off = 0;
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(b);
            c0 = TOps.Fma(TOps.Broadcast(a0[off]), b0, c0);
            c1 = TOps.Fma(TOps.Broadcast(a1[off]), b0, c1);
            c2 = TOps.Fma(TOps.Broadcast(a2[off]), b0, c2);
            c3 = TOps.Fma(TOps.Broadcast(a3[off]), b0, c3);
            c4 = TOps.Fma(TOps.Broadcast(a4[off]), b0, c4);
            c5 = TOps.Fma(TOps.Broadcast(a5[off]), b0, c5);
            off += cs;
            b += ldb;
        }

        TOps.Store(c, c0); TOps.Store(c + ldc, c1); TOps.Store(c + 2 * ldc, c2);
        TOps.Store(c + 3 * ldc, c3); TOps.Store(c + 4 * ldc, c4); TOps.Store(c + 5 * ldc, c5);
    }

    /// <summary>
    /// Scalar tier: i-p-j loop order, C's row as the accumulators. Per element it is the same fused chain over
    /// p ascending as the vector kernels (MathF.FusedMultiplyAdd is correctly rounded on every platform), so
    /// the result is bit-identical; <paramref name="skipZeros"/> gives the sparse-left variant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scalar(float* a, nint rs, nint cs, float* b, nint brs, nint bcs, float* c, int m, int n, int k,
        bool load, bool skipZeros)
    {
        for (int i = 0; i < m; i++)
        {
            float* cRow = c + (nint)i * n;
            if (!load)
                new Span<float>(cRow, n).Clear();
            for (int p = 0; p < k; p++)
            {
                float av = a[i * rs + p * cs];
                if (skipZeros && av == 0f)
                    continue;
                float* bRow = b + p * brs;
                for (int j = 0; j < n; j++)
                    cRow[j] = MathF.FusedMultiplyAdd(av, bRow[j * bcs], cRow[j]);
            }
        }
    }
}
