using TfMnist.Predictor;
using TfNetPrograms;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>
/// A checkpoint written by a TensorFlow.NET-style program (get_variable, AdamOptimizer with its
/// slots and beta powers, a global step) restores in the Predictor by tensor name.
/// </summary>
public sealed class AdamCheckpointTests
{
    [Fact]
    public void TheMlpWithAdamsCheckpointPredictsTheTestSet()
    {
        using var dir = TestData.NewTempDir();
        var (_, _, testAccuracy, _) = new MlpWithAdam(TestData.MnistDir) { Epochs = 1, LearningRate = 0.003f }.Run(Path.Combine(dir.Path, "mlp"));

        using var classifier = new CheckpointClassifier(new ModelOptions(dir.Path, InputTensor: "X:0", OutputTensor: "probabilities:0"));
        var images = TestData.TestImages;
        int Images = images.Count;
        int correct = 0;
        var pixels = new float[DigitPrediction.PixelCount];
        for (int i = 0; i < Images; i++)
        {
            for (int p = 0; p < pixels.Length; p++) pixels[p] = images.Pixels[i * pixels.Length + p] / 255f;
            if (classifier.Predict(pixels).Digit == TestData.TestLabels[i]) correct++;
        }
        // One image at a time against the program's batched pass: at most a few near-ties may differ.
        Assert.InRange(correct, (int)Math.Round(testAccuracy * Images) - 5, (int)Math.Round(testAccuracy * Images) + 5);
        Assert.True(correct > 0.95 * Images, $"{correct} of {Images} correct");
    }
}
