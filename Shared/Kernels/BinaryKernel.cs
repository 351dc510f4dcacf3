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
        if (a.Length == output.Length && IsTrailingSuffix(bShape, outShape))
        {
            for (int offset = 0; offset < output.Length; offset += b.Length)
                Same<T, TFn>(a.Slice(offset, b.Length), b, output.Slice(offset, b.Length));
            return;
        }
        Strided<T, TFn>(a, aShape, b, bShape, output, outShape);
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
