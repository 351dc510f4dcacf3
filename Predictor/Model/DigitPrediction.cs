namespace TfMnist.Predictor;

/// <summary>The result of classifying one image.</summary>
/// <param name="Digit">The predicted digit, 0..9 (the index of the largest probability).</param>
/// <param name="Probabilities">Ten class probabilities, index = digit.</param>
public sealed record DigitPrediction(int Digit, float[] Probabilities)
{
    /// <summary>Number of pixels in one input image (28x28).</summary>
    public const int PixelCount = 784;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Builds a prediction from ten scores, picking the first index of the maximum.</summary>
    public static DigitPrediction FromProbabilities(float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Length != ClassCount)
            throw new ArgumentException($"Expected {ClassCount} probabilities, got {probabilities.Length}.", nameof(probabilities));
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
                best = i;
        }
        return new DigitPrediction(best, probabilities);
    }
}
