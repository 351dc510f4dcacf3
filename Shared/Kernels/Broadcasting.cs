namespace TfMnist.Kernels;

/// <summary>NumPy/TensorFlow broadcasting rules for shapes, static (-1 unknown) and concrete.</summary>
public static class Broadcasting
{
    /// <summary>The broadcast shape into <paramref name="result"/> (length max(rank a, rank b)); false if they do not broadcast.</summary>
    public static bool TryShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int rank = result.Length;
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else return false;
        }
        return true;
    }

    /// <summary>
    /// Static broadcast with unknown dims (-1): an unknown against 1 stays unknown, against a known
    /// size &gt; 1 takes that size. Null when known dims conflict.
    /// </summary>
    public static int[]? StaticShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == -1 || db == -1)
            {
                int known = da == -1 ? db : da;
                result[i] = known > 1 ? known : -1;
            }
            else if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else return null;
        }
        return result;
    }

    /// <summary>
    /// TF's BroadcastGradientArgs: for each input, the output axes along which it was broadcast
    /// (and so along which its gradient must be summed).
    /// Written into caller buffers of length max(rank); returns how many axes each got.
    /// </summary>
    public static (int Nx, int Ny) GradientReductionAxes(ReadOnlySpan<int> sx, ReadOnlySpan<int> sy, Span<int> rx, Span<int> ry)
    {
        int nx = 0, ny = 0;
        int rank = Math.Max(sx.Length, sy.Length);
        for (int i = 0; i < rank; i++)
        {
            int dx = i < rank - sx.Length ? 1 : sx[i - (rank - sx.Length)];
            int dy = i < rank - sy.Length ? 1 : sy[i - (rank - sy.Length)];
            if (dx != dy && dx != 1 && dy != 1)
                throw new ArgumentException($"Incompatible shapes: [{string.Join(",", sx.ToArray())}] vs. [{string.Join(",", sy.ToArray())}]");
            // An axis where both are 1 is reduced for both (TF does the same).
            if (dx == 1) rx[nx++] = i;
            if (dy == 1) ry[ny++] = i;
        }
        return (nx, ny);
    }

    /// <summary>Row-major strides of <paramref name="shape"/> aligned to the output's rank, 0 on broadcast axes.</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int rank = strides.Length;
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int j = i - (rank - shape.Length);
            int dim = j >= 0 ? shape[j] : 1;
            strides[i] = dim == 1 && outShape[i] != 1 ? 0 : stride;
            stride *= dim;
        }
    }

    /// <summary>
    /// Visits every output position of a broadcast with the matching input positions (zero
    /// strides on broadcast axes): the general path every broadcasting kernel shares.
    /// </summary>
    public static void Walk<TVisitor>(ReadOnlySpan<int> aShape, ReadOnlySpan<int> bShape, ReadOnlySpan<int> outShape, int length, ref TVisitor visitor)
        where TVisitor : IBroadcastVisitor, allows ref struct
    {
        int rank = outShape.Length;
        Span<int> sa = stackalloc int[Math.Max(rank, 1)], sb = stackalloc int[Math.Max(rank, 1)];
        BroadcastStrides(aShape, outShape, sa[..rank]);
        BroadcastStrides(bShape, outShape, sb[..rank]);
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int ia = 0, ib = 0;
        for (int o = 0; o < length; o++)
        {
            visitor.Visit(o, ia, ib);
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                ia += sa[d];
                ib += sb[d];
                if (index[d] < outShape[d]) break;
                ia -= sa[d] * index[d];
                ib -= sb[d] * index[d];
                index[d] = 0;
            }
        }
    }
}

/// <summary>Receives (output index, a index, b index) from <see cref="Broadcasting.Walk"/>.</summary>
public interface IBroadcastVisitor
{
    void Visit(int output, int a, int b);
}
