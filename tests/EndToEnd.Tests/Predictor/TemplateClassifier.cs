using TfMnist.Data;
using TfMnist.Predictor.Input;
using TfMnist.Predictor;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>
/// A real but simple classifier for tests: the nearest class mean ("template") by Euclidean distance,
/// with probabilities softmax(-distance² / T). Immutable after construction, hence thread-safe, and
/// deterministic: the same pixels always give bit-identical probabilities.
/// </summary>
public sealed class TemplateClassifier : IDigitClassifier
{
    private const double Temperature = 4.0;
    private readonly double[][] _means;

    private TemplateClassifier(double[][] means) => _means = means;

    public static TemplateClassifier Build(IdxImages images, byte[] labels, int count)
    {
        var means = new double[10][];
        var counts = new int[10];
        for (int d = 0; d < 10; d++) means[d] = new double[784];
        for (int i = 0; i < Math.Min(count, images.Count); i++)
        {
            float[] image = images.GetImage(i);
            int label = labels[i];
            counts[label]++;
            for (int p = 0; p < 784; p++) means[label][p] += image[p];
        }
        for (int d = 0; d < 10; d++)
        {
            if (counts[d] == 0) throw new InvalidOperationException($"no training image of digit {d}");
            for (int p = 0; p < 784; p++) means[d][p] /= counts[d];
        }
        return new TemplateClassifier(means);
    }

    public DigitPrediction Predict(ReadOnlySpan<float> pixels784)
    {
        if (pixels784.Length != 784)
            throw new ArgumentException($"expected 784 pixels, got {pixels784.Length}");
        var scores = new double[10];
        for (int d = 0; d < 10; d++)
        {
            double sum = 0;
            double[] m = _means[d];
            for (int p = 0; p < 784; p++)
            {
                double diff = pixels784[p] - m[p];
                sum += diff * diff;
            }
            scores[d] = -sum / Temperature;
        }
        double max = scores.Max();
        double total = 0;
        for (int d = 0; d < 10; d++) { scores[d] = Math.Exp(scores[d] - max); total += scores[d]; }
        var probabilities = new float[10];
        for (int d = 0; d < 10; d++) probabilities[d] = (float)(scores[d] / total);
        return DigitPrediction.FromProbabilities(probabilities);
    }
}

/// <summary>Wraps a classifier and remembers every input it was asked about (thread-safe).</summary>
public sealed class RecordingClassifier(IDigitClassifier inner) : IDigitClassifier
{
    private readonly Lock _gate = new();
    private readonly List<float[]> _inputs = [];

    public IReadOnlyList<float[]> Inputs { get { lock (_gate) return [.. _inputs]; } }

    public float[]? Last { get { lock (_gate) return _inputs.Count == 0 ? null : _inputs[^1]; } }

    public DigitPrediction Predict(ReadOnlySpan<float> pixels784)
    {
        lock (_gate) _inputs.Add(pixels784.ToArray());
        return inner.Predict(pixels784);
    }
}
