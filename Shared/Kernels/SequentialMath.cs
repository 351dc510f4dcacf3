namespace TfMnist.Kernels;

/// <summary>
/// The plain forms a reference run (<see cref="KernelPolicy.Reference"/>) uses where a vectorized kernel's result
/// depends on the vector width: sums in index order, and exp one element at a time with MathF.Exp (TensorPrimitives'
/// vector exp is an approximation of its own that can differ from it in the last bit).
/// </summary>
internal static class SequentialMath
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
