using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.Kernels;

/// <summary>An elementwise binary function, scalar and SIMD forms (static, so calls inline).</summary>
public interface IBinaryFunction<T> where T : unmanaged
{
    static abstract T Apply(T a, T b);
    static abstract Vector<T> Apply(Vector<T> a, Vector<T> b);
}

/// <summary>
/// Applies a binary function with broadcasting. Fast paths cover what the network does
/// (equal shapes, a scalar on either side, a trailing row vector such as a bias); any other
/// broadcast uses a strided walk.
/// </summary>
public static class BinaryKernel
{
    public static void Run<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<int> aShape, ReadOnlySpan<T> b, ReadOnlySpan<int> bShape,
        Span<T> output, ReadOnlySpan<int> outShape)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        if (a.Length == output.Length && b.Length == output.Length) { Same<T, TFn>(a, b, output); return; }
        if (b.Length == 1) { ScalarRight<T, TFn>(a, b[0], output); return; }
        if (a.Length == 1) { ScalarLeft<T, TFn>(a[0], b, output); return; }
        if (a.Length == output.Length && b.Length > 0 && IsTrailingSuffix(bShape, outShape)) { RowRight<T, TFn>(a, b, output); return; }
        if (b.Length == output.Length && a.Length > 0 && IsTrailingSuffix(aShape, outShape)) { RowLeft<T, TFn>(a, b, output); return; }
        Strided<T, TFn>(a, aShape, b, bShape, output, outShape);
    }

    /// <summary>The most elements a repeated row may take on the stack.</summary>
    private const int MaxTile = 1024;

    /// <summary>
    /// a [rows, n] op row [n] (a bias). A short row is repeated into a tile whose length is a
    /// whole number of vectors, so the output is a few long same-shape runs with no scalar tail
    /// per row; the values are the per-row ones (element i still meets row[i % n]).
    /// </summary>
    private static void RowRight<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<T> row, Span<T> output)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        int period = TilePeriod<T>(row.Length);
        if (period == 0)
        {
            for (int offset = 0; offset < output.Length; offset += row.Length)
                Same<T, TFn>(a.Slice(offset, row.Length), row, output.Slice(offset, row.Length));
            return;
        }
        Span<T> tile = stackalloc T[period];
        FillTile(row, tile);
        for (int offset = 0; offset < output.Length; offset += period)
        {
            int n = Math.Min(period, output.Length - offset); // a whole number of rows
            Same<T, TFn>(a.Slice(offset, n), tile[..n], output.Slice(offset, n));
        }
    }

    /// <summary>row [n] op b [rows, n]: as <see cref="RowRight"/> with the operands' order kept.</summary>
    private static void RowLeft<T, TFn>(ReadOnlySpan<T> row, ReadOnlySpan<T> b, Span<T> output)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        int period = TilePeriod<T>(row.Length);
        if (period == 0)
        {
            for (int offset = 0; offset < output.Length; offset += row.Length)
                Same<T, TFn>(row, b.Slice(offset, row.Length), output.Slice(offset, row.Length));
            return;
        }
        Span<T> tile = stackalloc T[period];
        FillTile(row, tile);
        for (int offset = 0; offset < output.Length; offset += period)
        {
            int n = Math.Min(period, output.Length - offset);
            Same<T, TFn>(tile[..n], b.Slice(offset, n), output.Slice(offset, n));
        }
    }

    /// <summary>
    /// Tile length for a row of <paramref name="n"/>: whole rows, whole vectors, at least 256
    /// elements so per-call overhead stays small; 0 when the row is long enough on its own.
    /// </summary>
    private static int TilePeriod<T>(int n) where T : unmanaged
    {
        int lanes = Vector.IsHardwareAccelerated ? Vector<T>.Count : 1;
        int rows = lanes / Gcd(n, lanes);
        int period = n * rows;
        if (n >= 256 && rows == 1) return 0;
        period *= Math.Max(1, 256 / period);
        return period <= MaxTile ? period : 0;
    }

    private static int Gcd(int x, int y)
    {
        while (y != 0) (x, y) = (y, x % y);
        return x;
    }

    private static void FillTile<T>(ReadOnlySpan<T> row, Span<T> tile) where T : unmanaged
    {
        for (int offset = 0; offset < tile.Length; offset += row.Length) row.CopyTo(tile[offset..]);
    }

    private static bool IsTrailingSuffix(ReadOnlySpan<int> small, ReadOnlySpan<int> outShape)
    {
        // small (ignoring leading 1s) equals the trailing dims of the output.
        int lead = 0;
        while (lead < small.Length && small[lead] == 1) lead++;
        var core = small[lead..];
        return core.Length <= outShape.Length && core.SequenceEqual(outShape[(outShape.Length - core.Length)..]);
    }

    private static void Same<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<T>.Count)
        {
            var va = MemoryMarshal.Cast<T, Vector<T>>(a);
            var vb = MemoryMarshal.Cast<T, Vector<T>>(b);
            var vo = MemoryMarshal.Cast<T, Vector<T>>(output);
            int n = Math.Min(vo.Length, Math.Min(va.Length, vb.Length));
            for (int v = 0; v < n; v++) vo[v] = TFn.Apply(va[v], vb[v]);
            i = n * Vector<T>.Count;
        }
        for (; i < output.Length; i++) output[i] = TFn.Apply(a[i], b[i]);
    }

    private static void ScalarRight<T, TFn>(ReadOnlySpan<T> a, T b, Span<T> output)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<T>.Count)
        {
            var vb = new Vector<T>(b);
            var va = MemoryMarshal.Cast<T, Vector<T>>(a);
            var vo = MemoryMarshal.Cast<T, Vector<T>>(output);
            for (int v = 0; v < vo.Length; v++) vo[v] = TFn.Apply(va[v], vb);
            i = vo.Length * Vector<T>.Count;
        }
        for (; i < output.Length; i++) output[i] = TFn.Apply(a[i], b);
    }

    private static void ScalarLeft<T, TFn>(T a, ReadOnlySpan<T> b, Span<T> output)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<T>.Count)
        {
            var va = new Vector<T>(a);
            var vb = MemoryMarshal.Cast<T, Vector<T>>(b);
            var vo = MemoryMarshal.Cast<T, Vector<T>>(output);
            for (int v = 0; v < vo.Length; v++) vo[v] = TFn.Apply(va, vb[v]);
            i = vo.Length * Vector<T>.Count;
        }
        for (; i < output.Length; i++) output[i] = TFn.Apply(a, b[i]);
    }

    private static void Strided<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<int> aShape, ReadOnlySpan<T> b, ReadOnlySpan<int> bShape,
        Span<T> output, ReadOnlySpan<int> outShape)
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        var visitor = new Apply<T, TFn>(a, b, output);
        Broadcasting.Walk(aShape, bShape, outShape, output.Length, ref visitor);
    }

    private ref struct Apply<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) : IBroadcastVisitor
        where T : unmanaged where TFn : IBinaryFunction<T>
    {
        private readonly ReadOnlySpan<T> _a = a, _b = b;
        private readonly Span<T> _output = output;
        public void Visit(int o, int ia, int ib) => _output[o] = TFn.Apply(_a[ia], _b[ib]);
    }
}
