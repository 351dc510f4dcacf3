namespace TfMnist.Kernels;

/// <summary>
/// The living specification of GEMM: a naive triple loop computing
/// <c>C = alpha * op(A) * op(B) + beta * C</c> on row-major float32 matrices, accumulating in double.
/// Slow on purpose; every fast path in <see cref="Gemm"/> is tested against it.
/// </summary>
/// <remarks>
/// <c>aRows</c> x <c>aCols</c> are the dimensions of A as stored; with
/// <c>transposeA</c> op(A) = Aᵀ is aCols x aRows. Likewise for B. C is op(A).rows x op(B).cols,
/// dense row-major. As in BLAS, when beta == 0 the old contents of C are not read (NaN is overwritten).
/// </remarks>
public static class GemmReference
{
    public static void Multiply(
        ReadOnlySpan<float> a, int aRows, int aCols, bool transposeA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB,
        Span<float> c, float alpha = 1f, float beta = 0f)
    {
        var (m, n, k) = Gemm.CheckShapes(a.Length, aRows, aCols, transposeA, b.Length, bRows, bCols, transposeB, c.Length);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * aCols + i] : a[i * aCols + p];
                    float bv = transposeB ? b[j * bCols + p] : b[p * bCols + j];
                    sum += (double)av * bv;
                }
                double result = alpha * sum;
                if (beta != 0f)
                    result += (double)beta * c[i * n + j];
                c[i * n + j] = (float)result;
            }
        }
    }

    /// <summary>
    /// The exact bits every path of <see cref="Gemm"/> must return: per C element one float accumulator, starting
    /// at +0 (or the old C when <paramref name="accumulate"/>), updated by fma(op(A)[i, p], op(B)[p, j], acc) for
    /// p = 0, 1, ..., K-1. Tests compare the fast paths with this bit for bit (and with <see cref="Multiply"/>
    /// within rounding).
    /// </summary>
    public static void MultiplyFusedChain(
        ReadOnlySpan<float> a, int aRows, int aCols, bool transposeA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transposeB,
        Span<float> c, bool accumulate = false)
    {
        var (m, n, k) = Gemm.CheckShapes(a.Length, aRows, aCols, transposeA, b.Length, bRows, bCols, transposeB, c.Length);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float acc = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * aCols + i] : a[i * aCols + p];
                    float bv = transposeB ? b[j * bCols + p] : b[p * bCols + j];
                    acc = MathF.FusedMultiplyAdd(av, bv, acc);
                }
                c[i * n + j] = acc;
            }
        }
    }
}
