namespace TfMnist.Predictor;

/// <summary>
/// Names the digit in one 28x28 image.
/// </summary>
/// <remarks>
/// <para>Input: exactly 784 values in [0, 1], row-major 28x28, white (1) digit on black (0)
/// background, as in MNIST.</para>
/// <para><b>Thread safety is required.</b> The web server keeps a single instance for the life of
/// the process and calls <see cref="Predict"/> from many requests at once; <c>eval</c> also calls it
/// from several threads. An implementation must either hold no mutable per-call state or
/// synchronise it itself.</para>
/// </remarks>
public interface IDigitClassifier
{
    /// <summary>Classifies one image.</summary>
    /// <param name="pixels784">784 values in [0, 1], row-major 28x28, white digit on black.</param>
    /// <returns>The most likely digit and the ten class probabilities (summing to ~1).</returns>
    DigitPrediction Predict(ReadOnlySpan<float> pixels784);
}
