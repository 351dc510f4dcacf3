using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Mnist;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Mnist;

/// <summary>
/// The whole network's gradient: the engine's symbolic d(loss)/d(variable), as the optimizer builds it, for
/// every element of all four variables of nn_train.py's graph, against central differences of a float64
/// forward pass written here (no engine ops). Dropout's mask is held fixed: keep_prob 1 (the mask is then
/// all ones), and keep_prob 0.5 with the mask tensor ("dropout/dropout/Floor") fed.
/// Tolerance: |symbolic − numeric| ≤ 1e-6 + 1e-4·|numeric| (float32 engine against float64 differences
/// with step 1e-6, whose own error is below 1e-9).
/// </summary>
public class NetworkGradientTests
{
    private const int Batch = 4, Pixels = 784, Hidden = 10, Classes = 10;
    private const double Step = 1e-6;

    private sealed record Case(float[] X, float[] Labels, float KeepProb, float[] Mask, Dictionary<string, float[]> Weights);

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    public void SymbolicGradientOfEveryVariableMatchesFloat64CentralDifferences(float keepProb)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var net = MnistNetwork.Build(new MnistHyperParameters(HiddenUnits: Hidden));
        var variables = graph.GetCollection<Variable>(GraphKeys.TrainableVariables);
        Assert.Equal(["layerHidden1/weights/Variable", "layerHidden1/biases/Variable", "layerOutput/weights/Variable", "layerOutput/biases/Variable"],
            variables.Select(v => v.Name));
        var grads = GradientsBuilder.Build([net.CrossEntropy], variables.Select(v => v.Ref).ToList(), gateGradients: true);
        var mask = graph.GetTensorByName("dropout/dropout/Floor:0");
        Assert.Equal("Floor", mask.Op.Type);

        var c = MakeCase(keepProb, variables.Select(v => v.Name).ToArray());
        using var session = new Session(graph);
        session.Run(Variable.GlobalVariablesInitializer(graph));
        foreach (var v in variables) c.Weights[v.Name].CopyTo(session.GetVariable(v.Op)!.Floats);
        var feeds = new List<FeedItem>
        {
            new(net.InputData, new NDArray(DType.Float, [Batch, Pixels], c.X)),
            new(net.InputLabel, new NDArray(DType.Float, [Batch, Classes], c.Labels)),
            new(net.KeepProb!, keepProb),
        };
        // At keep_prob 1 the mask is floor(1 + u) = 1 whatever u; otherwise it is fed.
        if (keepProb < 1) feeds.Add(new(mask, new NDArray(DType.Float, [Batch, Hidden], c.Mask)));

        var engineLoss = session.Run(net.CrossEntropy, feeds.ToArray())!.Floats[0];
        Assert.Equal(Loss(c, c.Weights.ToDictionary(kv => kv.Key, kv => kv.Value.Select(f => (double)f).ToArray())), engineLoss, 5);

        double worst = 0;
        for (int k = 0; k < variables.Count; k++)
        {
            string name = variables[k].Name;
            var symbolic = session.Run(grads[k]!, feeds.ToArray())!.Floats.ToArray();
            var weights = c.Weights.ToDictionary(kv => kv.Key, kv => kv.Value.Select(f => (double)f).ToArray());
            var w = weights[name];
            Assert.Equal(w.Length, symbolic.Length);
            for (int i = 0; i < w.Length; i++)
            {
                // A first-layer weight of a pixel that is 0 in every image does not enter the float64 loss at all.
                if (k == 0 && !PixelUsed(c, i / Hidden))
                {
                    Assert.True(symbolic[i] == 0, $"d loss / d {name}[{i}] of an unused pixel: symbolic {symbolic[i]}");
                    continue;
                }
                double saved = w[i];
                w[i] = saved + Step;
                double plus = Loss(c, weights);
                w[i] = saved - Step;
                double minus = Loss(c, weights);
                w[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                double error = Math.Abs(symbolic[i] - numeric);
                worst = Math.Max(worst, error);
                Assert.True(error <= 1e-6 + 1e-4 * Math.Abs(numeric), $"d loss / d {name}[{i}]: symbolic {symbolic[i]}, numeric {numeric}");
            }
            Assert.Contains(symbolic, g => g != 0);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"keep_prob {keepProb}: largest |symbolic - numeric| = {worst:E2}");
    }

    private static bool PixelUsed(Case c, int pixel)
    {
        for (int r = 0; r < Batch; r++)
            if (Math.Round((double)c.X[r * Pixels + pixel], MidpointRounding.ToEven) != 0) return true;
        return false;
    }

    private static Case MakeCase(float keepProb, string[] names)
    {
        var rng = new Random(42);
        // Pixels well away from 0.5, so the graph's Round has one answer (the input is fed, never varied).
        float[] levels = [0f, 0.1f, 0.3f, 0.7f, 0.9f, 1f];
        var x = new float[Batch * Pixels];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Next(3) == 0 ? levels[rng.Next(levels.Length)] : 0f;
        var labels = new float[Batch * Classes];
        for (int r = 0; r < Batch; r++) labels[r * Classes + rng.Next(Classes)] = 1f;
        var mask = new float[Batch * Hidden];
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < keepProb ? 1f : 0f;
        int[] sizes = [Pixels * Hidden, Hidden, Hidden * Classes, Classes];
        var weights = new Dictionary<string, float[]>();
        for (int k = 0; k < names.Length; k++)
            weights[names[k]] = Enumerable.Range(0, sizes[k]).Select(_ => (float)(rng.NextDouble() * 0.2 - 0.1)).ToArray();
        return new Case(x, labels, keepProb, mask, weights);
    }

    /// <summary>
    /// nn_train.py's loss in double: mean over the batch of softmax cross-entropy of
    /// (relu(round(x)·W1 + b1) / keep_prob · mask)·W2 + b2. Fails if a ReLU input is close enough
    /// to 0 that a difference step could cross the kink.
    /// </summary>
    private static double Loss(Case c, Dictionary<string, double[]> v)
    {
        var (w1, b1, w2, b2) = (v["layerHidden1/weights/Variable"], v["layerHidden1/biases/Variable"],
            v["layerOutput/weights/Variable"], v["layerOutput/biases/Variable"]);
        double total = 0;
        var hidden = new double[Hidden];
        var logits = new double[Classes];
        for (int r = 0; r < Batch; r++)
        {
            for (int j = 0; j < Hidden; j++)
            {
                double z = b1[j];
                for (int i = 0; i < Pixels; i++)
                {
                    double pixel = Math.Round((double)c.X[r * Pixels + i], MidpointRounding.ToEven);
                    if (pixel != 0) z += pixel * w1[i * Hidden + j];
                }
                Assert.True(Math.Abs(z) > 1e-4, $"pre-activation [{r},{j}] = {z} is too close to ReLU's kink");
                hidden[j] = Math.Max(0, z) / c.KeepProb * (c.KeepProb < 1 ? c.Mask[r * Hidden + j] : 1);
            }
            for (int k = 0; k < Classes; k++)
            {
                double s = b2[k];
                for (int j = 0; j < Hidden; j++) s += hidden[j] * w2[j * Classes + k];
                logits[k] = s;
            }
            double max = logits.Max();
            double logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            for (int k = 0; k < Classes; k++) total -= c.Labels[r * Classes + k] * (logits[k] - logSum);
        }
        return total / Batch;
    }
}
