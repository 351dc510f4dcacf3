using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>
/// Numeric gradient checking by central differences: builds f(x...) from placeholders, reduces
/// it to a scalar L = sum(f * W) with a fixed random W (so every output element matters), and
/// compares the symbolic dL/dx with (L(x+eps) - L(x-eps)) / 2eps for every element of every
/// float input. Placeholders take the inputs' shapes unless <c>placeholderShapes</c> gives
/// partial ones (e.g. an unknown batch dimension, to exercise the run-time shape paths).
/// </summary>
public static class GradientCheck
{
    public static void Check(Func<Tensor[], Tensor> build, NDArray[] inputs, double eps = 1e-2, double tolerance = 2e-2,
        bool[]? differentiable = null, Shape?[]? placeholderShapes = null)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var placeholders = inputs.Select((x, i) => PlaceholderOp.Create(x.DType, placeholderShapes?[i] ?? new Shape(x.Shape), $"x{i}")).ToArray();
        var y = build(placeholders);
        var feeds = placeholders.Select((p, i) => new FeedItem(p, inputs[i])).ToArray();

        using var session = new Session(graph);
        var forward = session.Run(y, feeds)!;
        var rng = new Random(1234);
        var weights = NDArray.Zeros(DType.Float, forward.Shape);
        for (int i = 0; i < weights.Size; i++) weights.Floats[i] = (float)(rng.NextDouble() * 2 - 1);
        var w = ConstOp.Create(weights, "W");
        var loss = SumOp.Create(ReshapeOp.Create(y * w, [-1]), [0]);
        var grads = GradientsBuilder.Build([loss], placeholders);

        for (int input = 0; input < inputs.Length; input++)
        {
            if (inputs[input].DType != DType.Float) continue;
            bool shouldHave = differentiable?[input] ?? true;
            if (!shouldHave) { Assert.Null(grads[input]); continue; }
            Assert.True(grads[input] is not null, $"no gradient for input {input}");
            var symbolic = session.Run(grads[input]!, feeds)!;
            Assert.Equal(inputs[input].Shape, symbolic.Shape);
            var x = inputs[input].Floats;
            for (int j = 0; j < x.Length; j++)
            {
                float saved = x[j];
                x[j] = (float)(saved + eps);
                double plus = session.Run(loss, feeds)!.Floats[0];
                x[j] = (float)(saved - eps);
                double minus = session.Run(loss, feeds)!.Floats[0];
                x[j] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = symbolic.Floats[j];
                double scale = Math.Max(1.0, Math.Abs(numeric));
                Assert.True(Math.Abs(numeric - analytic) <= tolerance * scale,
                    $"d/dx{input}[{j}]: symbolic {analytic} vs numeric {numeric}");
            }
        }
    }

    public static NDArray Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var a = NDArray.Zeros(DType.Float, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}
