using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace TfMnist.Kernels;

/// <summary>
/// Single-precision matrix multiply, C = op(A) · op(B), row-major. A managed, cache-friendly
/// kernel (contiguous SIMD rows in the inner loop for each transpose case); a fast GEMM is
/// meant to replace the body of <see cref="Multiply"/> without changing its contract.
/// </summary>
public static class MatMulKernel
{
    /// <summary>
    /// Multiplies A (stored <paramref name="aRows"/> × <paramref name="aCols"/>, used transposed
    /// when <paramref name="transA"/>) by B (likewise) into C, which must hold exactly
    /// m × n values (m, n the rows of op(A) and the columns of op(B)); C is overwritten.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, int aRows, int aCols, bool transA,
        ReadOnlySpan<float> b, int bRows, int bCols, bool transB, Span<float> c)
    {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows;
        int n = transB ? bRows : bCols;
        if (k != kb) throw new ArgumentException($"Inner dimensions differ: op(A) is {m}x{k}, op(B) is {kb}x{n}.");
        if (a.Length < aRows * aCols || b.Length < bRows * bCols || c.Length != m * n)
            throw new ArgumentException("Buffer sizes do not match the matrix dimensions.");
        if (m == 0 || n == 0) return;
        if (k == 0) { c.Clear(); return; }

        if (!transA && !transB)
        {
            // C[i,:] = Σ_p A[i,p] · B[p,:] — rows of B and C are contiguous.
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * n, n);
                TensorPrimitives.Multiply(b.Slice(0, n), a[i * k], row);
                for (int p = 1; p < k; p++)
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[i * k + p], row, row);
            }
        }
        else if (!transA && transB)
        {
            // C[i,j] = A[i,:] · B[j,:] — both rows contiguous.
            for (int i = 0; i < m; i++)
            {
                var aRow = a.Slice(i * k, k);
                for (int j = 0; j < n; j++) c[i * n + j] = TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
            }
        }
        else if (transA && !transB)
        {
            // C[i,:] = Σ_p A[p,i] · B[p,:] — accumulate row p of B into each row of C.
            c.Clear();
            for (int p = 0; p < k; p++)
            {
                var bRow = b.Slice(p * n, n);
                for (int i = 0; i < m; i++)
                {
                    var row = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, a[p * m + i], row, row);
                }
            }
        }
        else
        {
            // C[i,j] = Σ_p A[p,i] · B[j,p]: C = (B · A)ᵀ; build rows of B · A and scatter them.
            for (int j = 0; j < n; j++)
            {
                var bRow = b.Slice(j * k, k);
                for (int i = 0; i < m; i++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++) sum += bRow[p] * a[p * m + i];
                    c[i * n + j] = sum;
                }
            }
        }
    }
}
