namespace TfMnist.Kernels;

/// <summary>An elementwise float kernel over a piece of the input and the matching piece of the output.</summary>
public delegate void FloatMapPiece(ReadOnlySpan<float> input, Span<float> output);

public static class FloatMap
{
    /// <summary>Runs <paramref name="kernel"/> over the whole arrays, split over the cores when large.</summary>
    public static void Run(float[] input, float[] output, int length, FloatMapPiece kernel) =>
        ParallelSplit.For(length, 16, (input, output, kernel),
            static (s, start, count) => s.kernel(s.input.AsSpan(start, count), s.output.AsSpan(start, count)));
}
