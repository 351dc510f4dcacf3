using System.Numerics;

namespace TfMnist.Kernels;

/// <summary>An associative reduction (sum, max, ...), scalar and SIMD forms.</summary>
public interface IReducer<T> where T : unmanaged
{
    static abstract T Identity { get; }
    static abstract T Combine(T acc, T value);
    static abstract Vector<T> Combine(Vector<T> acc, Vector<T> value);
}

/// <summary>
/// Reduces a row-major tensor over a set of axes. The input is viewed as [outer, reduced, inner]
/// blocks after merging adjacent axes, so the common cases (all axes, leading axis, trailing
/// axis) are contiguous SIMD loops; other axis sets fall back to a strided walk.
/// </summary>
public static class Reduction
{
    /// <summary>Output shape with reduced axes removed (or kept as 1).</summary>
    public static int[] OutputShape(ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduce, bool keepDims)
    {
        var dims = new List<int>(shape.Length);
        for (int i = 0; i < shape.Length; i++)
            if (!reduce[i]) dims.Add(shape[i]);
            else if (keepDims) dims.Add(1);
        return dims.ToArray();
    }

    /// <summary>The output shape into <paramref name="result"/> (at least rank long); returns its rank.</summary>
    public static int OutputShape(ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduce, bool keepDims, Span<int> result)
    {
        int n = 0;
        for (int i = 0; i < shape.Length; i++)
            if (!reduce[i]) result[n++] = shape[i];
            else if (keepDims) result[n++] = 1;
        return n;
    }

    /// <summary>Which axes are reduced, from possibly negative axis values; names the op on a bad axis.</summary>
    public static bool[] AxisMask(int rank, ReadOnlySpan<int> axes, string opName)
    {
        var mask = new bool[rank];
        AxisMask(axes, opName, mask);
        return mask;
    }

    public static void AxisMask(ReadOnlySpan<int> axes, string opName, Span<bool> mask)
    {
        int rank = mask.Length;
        mask.Clear();
        foreach (int a in axes)
        {
            int axis = a < 0 ? a + rank : a;
            if (axis < 0 || axis >= rank)
                throw new ArgumentException($"Invalid reduction dimension {a} for input with {rank} dimensions in '{opName}'.");
            mask[axis] = true;
        }
    }

    public static void Reduce<T, TR>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduce, Span<T> output)
        where T : unmanaged where TR : IReducer<T>
    {
        // Merge runs of axes with the same reduce flag: [a, b | c | d, e] -> blocks.
        Span<int> dims = stackalloc int[Math.Max(shape.Length, 1)];
        Span<bool> flags = stackalloc bool[Math.Max(shape.Length, 1)];
        int n = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue; // size-1 axes change nothing
            if (n > 0 && flags[n - 1] == reduce[i]) dims[n - 1] *= shape[i];
            else { dims[n] = shape[i]; flags[n] = reduce[i]; n++; }
        }
        if (input.Length == 0) { output.Fill(TR.Identity); return; }
        if (n == 0 || (n == 1 && !flags[0])) { input.CopyTo(output); return; }
        if (n == 1) { output[0] = All<T, TR>(input); return; }
        if (n == 2 && flags[0]) { Leading<T, TR>(input, dims[0], dims[1], output); return; }
        if (n == 2) { Trailing<T, TR>(input, dims[0], dims[1], output); return; }
        if (n == 3 && flags[1]) { Middle<T, TR>(input, dims[0], dims[1], dims[2], output); return; }
        General<T, TR>(input, dims[..n], flags[..n], output);
    }

    public static T All<T, TR>(ReadOnlySpan<T> input) where T : unmanaged where TR : IReducer<T>
    {
        int i = 0;
        T acc = TR.Identity;
        // Lanes change the order of a float sum; a reference run takes the sequential one.
        if (!KernelPolicy.Reference && Vector.IsHardwareAccelerated && input.Length >= 2 * Vector<T>.Count)
        {
            KernelProbe.Took(KernelProbe.Path.VectorSum);
            var v0 = new Vector<T>(TR.Identity);
            var v1 = v0;
            int step = 2 * Vector<T>.Count;
            for (; i + step <= input.Length; i += step)
            {
                v0 = TR.Combine(v0, new Vector<T>(input.Slice(i)));
                v1 = TR.Combine(v1, new Vector<T>(input.Slice(i + Vector<T>.Count)));
            }
            var v = TR.Combine(v0, v1);
            for (int k = 0; k < Vector<T>.Count; k++) acc = TR.Combine(acc, v[k]);
        }
        for (; i < input.Length; i++) acc = TR.Combine(acc, input[i]);
        return acc;
    }

    // [rows, cols] reduced over rows: accumulate each row into the output vector.
    private static void Leading<T, TR>(ReadOnlySpan<T> input, int rows, int cols, Span<T> output)
        where T : unmanaged where TR : IReducer<T>
    {
        input[..cols].CopyTo(output);
        for (int r = 1; r < rows; r++)
        {
            var row = input.Slice(r * cols, cols);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i + Vector<T>.Count <= cols; i += Vector<T>.Count)
                    TR.Combine(new Vector<T>(output.Slice(i)), new Vector<T>(row.Slice(i))).CopyTo(output.Slice(i));
            for (; i < cols; i++) output[i] = TR.Combine(output[i], row[i]);
        }
    }

    // [rows, cols] reduced over cols: one contiguous reduction per row.
    private static void Trailing<T, TR>(ReadOnlySpan<T> input, int rows, int cols, Span<T> output)
        where T : unmanaged where TR : IReducer<T>
    {
        for (int r = 0; r < rows; r++) output[r] = All<T, TR>(input.Slice(r * cols, cols));
    }

    private static void Middle<T, TR>(ReadOnlySpan<T> input, int outer, int mid, int inner, Span<T> output)
        where T : unmanaged where TR : IReducer<T>
    {
        for (int o = 0; o < outer; o++)
            Leading<T, TR>(input.Slice(o * mid * inner, mid * inner), mid, inner, output.Slice(o * inner, inner));
    }

    private static void General<T, TR>(ReadOnlySpan<T> input, ReadOnlySpan<int> dims, ReadOnlySpan<bool> flags, Span<T> output)
        where T : unmanaged where TR : IReducer<T>
    {
        output.Fill(TR.Identity);
        int rank = dims.Length;
        Span<int> outStrides = stackalloc int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            outStrides[d] = flags[d] ? 0 : stride;
            if (!flags[d]) stride *= dims[d];
        }
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int o = 0;
        for (int i = 0; i < input.Length; i++)
        {
            output[o] = TR.Combine(output[o], input[i]);
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                o += outStrides[d];
                if (index[d] < dims[d]) break;
                o -= outStrides[d] * index[d];
                index[d] = 0;
            }
        }
    }
}

public readonly struct SumReducer<T> : IReducer<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.Zero;
    public static T Combine(T acc, T value) => acc + value;
    public static Vector<T> Combine(Vector<T> acc, Vector<T> value) => acc + value;
}

public readonly struct ProdReducer<T> : IReducer<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.One;
    public static T Combine(T acc, T value) => acc * value;
    public static Vector<T> Combine(Vector<T> acc, Vector<T> value) => acc * value;
}

public readonly struct MaxReducer<T> : IReducer<T> where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    public static T Identity => T.MinValue;
    public static T Combine(T acc, T value) => T.Max(acc, value);
    public static Vector<T> Combine(Vector<T> acc, Vector<T> value) => Vector.Max(acc, value);
}

public readonly struct MinReducer<T> : IReducer<T> where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    public static T Identity => T.MaxValue;
    public static T Combine(T acc, T value) => T.Min(acc, value);
    public static Vector<T> Combine(Vector<T> acc, Vector<T> value) => Vector.Min(acc, value);
}
