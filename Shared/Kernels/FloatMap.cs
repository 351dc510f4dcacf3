namespace TfMnist.Kernels;

/// <summary>An elementwise float kernel over a piece of the input and the matching piece of the output.</summary>
public delegate void FloatMapPiece(ReadOnlySpan<float> input, Span<float> output);

public static class FloatMap
{
    /// <summary>Runs <paramref name="kernel"/> over the whole arrays, split over the cores when large.</summary>
    public static void Run(float[] input, float[] output, int length, FloatMapPiece kernel)
    {
        if (length < ParallelSplit.MinParallelLength)
            kernel(input.AsSpan(0, length), output.AsSpan(0, length));
        else
            RunSplit(input, output, length, kernel);
    }

    // Separate, so the closure is allocated only for large arrays.
    private static void RunSplit(float[] input, float[] output, int length, FloatMapPiece kernel) =>
        ParallelSplit.For(length, 16, (start, count) => kernel(input.AsSpan(start, count), output.AsSpan(start, count)));
}
