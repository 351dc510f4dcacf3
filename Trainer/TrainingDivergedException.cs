namespace TfMnist.Trainer;

/// <summary>
/// The loss or a summarized tensor became NaN or Infinity: the run stops without saving, and
/// the message is the single line the user sees.
/// </summary>
public sealed class TrainingDivergedException(long step, string tensor, float value, float learningRate)
    : Exception($"training diverged at step {step}: {tensor} is {Describe(value)}; try a smaller --learning-rate (this run used {learningRate}). The checkpoint was not saved.")
{
    public long Step { get; } = step;
    public string Tensor { get; } = tensor;

    private static string Describe(float value) =>
        float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
}
