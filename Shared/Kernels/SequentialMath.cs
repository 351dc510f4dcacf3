namespace TfMnist.Kernels;

/// <summary>
/// The plain forms a reference run (<see cref="KernelPolicy.Reference"/>) uses where a vectorized kernel's result
/// depends on the vector width: sums in index order, and exp one element at a time with MathF.Exp (TensorPrimitives'
/// vector exp is an approximation of its own that can differ from it in the last bit).
/// </summary>
internal sealed class SequentialMath : IRowMath
{
    public static float Sum(ReadOnlySpan<float> values)
    {
        float sum = 0;
        foreach (float v in values) sum += v;
        return sum;
    }

    /// <summary>The largest value, NaN when any is NaN (as TensorPrimitives.Max).</summary>
    public static float Max(ReadOnlySpan<float> values)
    {
        float max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsNaN(v)) return v;
            max = MathF.Max(max, v);
        }
        return max;
    }

    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Exp(x[i]);
    }
}

/// <summary>Max, exp and sum over one row, as a type parameter, so a row kernel is written once and run with the
/// vectorized forms (<see cref="VectorMath"/>) or, under the reference policy, the plain ones (<see cref="SequentialMath"/>).</summary>
internal interface IRowMath
{
    static abstract float Max(ReadOnlySpan<float> values);
    static abstract void Exp(ReadOnlySpan<float> x, Span<float> y);
    static abstract float Sum(ReadOnlySpan<float> values);
}

/// <summary>TensorPrimitives' vectorized max, exp and sum: their results depend on the vector width.</summary>
internal sealed class VectorMath : IRowMath
{
    public static float Max(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Max(values);
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.Exp(x, y);
    public static float Sum(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Sum(values);
}
