using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Differential;

/// <summary>An MLP-shaped graph for the ONNX oracle: what to export (input to output, fed scalars) and what to feed.</summary>
internal sealed record MlpGraph(Graph Graph, Tensor Input, Tensor Output, FeedItem[] ConstantFeeds, Operation Init, int Rows, int Width, float[] Images)
{
    /// <summary>One line per op of the inference path's graph, for failure reports.</summary>
    public string Listing() => string.Join(Environment.NewLine, Graph.Operations.Select(op =>
        $"  {op.Name} = {op.Type}({string.Join(", ", op.Inputs.Select(i => i.Name))}) {op.Outputs.FirstOrDefault()?.Shape}"));
}

/// <summary>
/// Seeded random graphs of the shape the exporter is for: an input [batch, k], maybe Round (binarised pixels)
/// and a Reshape round trip, one to three dense layers (MatMul in either transpose of the weights, from a
/// variable or a constant, sometimes through dropout at keep_prob 1 itself; the bias by Add either way round
/// or BiasAdd; Relu, Identity or StopGradient), TF's dropout subgraph at keep_prob 1 (fed, or a constant)
/// between layers, scalar Mul/RealDiv/Sub/Maximum, and a Softmax, LogSoftmax or Identity at the end. Case i
/// of seed s is the same graph on every run.
/// </summary>
internal static class MlpGraphGenerator
{
    public static MlpGraph Generate(int seed, int caseIndex)
    {
        var random = new Random(HashCode.Combine(seed, caseIndex, "onnx-mlp"));
        var graph = new Graph();
        var feeds = new List<FeedItem>();
        int rows = random.Next(1, 41), width = random.Next(1, 65);
        Tensor x, h;
        using (graph.AsDefault())
        {
            x = PlaceholderOp.Create(DType.Float, new Shape(-1, width), "x");
            h = random.Next(2) == 0 ? RoundOp.Create(x) : x;
            if (random.Next(4) == 0 && width % 2 == 0)
                h = ReshapeOp.Create(ReshapeOp.Create(h, [-1, 2, width / 2]), [-1, width]);
            int layers = random.Next(1, 4);
            for (int layer = 0; layer < layers; layer++)
            {
                int next = random.Next(1, 49);
                h = Dense(graph, random, h, width, next, layer);
                width = next;
                if (layer < layers - 1 && random.Next(3) == 0) h = DropoutAtKeep1(graph, random, h, feeds);
                if (random.Next(5) == 0) h = Scalar(graph, random, h);
            }
            h = random.Next(3) switch
            {
                0 => SoftmaxOp.Create(h, "probabilities"),
                1 => LogSoftmaxOp.Create(h, "log_probabilities"),
                _ => IdentityOp.Create(h, "logits"),
            };
        }
        var init = Variable.GlobalVariablesInitializer(graph);
        var images = new float[rows * x.Shape[1]];
        for (int i = 0; i < images.Length; i++) images[i] = random.NextSingle();
        return new MlpGraph(graph, x, h, feeds.ToArray(), init, rows, x.Shape[1], images);
    }

    private static Tensor Dense(Graph graph, Random random, Tensor h, int inWidth, int outWidth, int layer)
    {
        bool transposeB = random.Next(2) == 0;
        int[] shape = transposeB ? [outWidth, inWidth] : [inWidth, outWidth];
        var weights = Values(random, shape, 1 / MathF.Sqrt(inWidth));
        Tensor w = random.Next(2) == 0 ? new Variable(weights, $"w{layer}").Value : ConstOp.Create(weights, $"w{layer}");
        // Dropout over the weights themselves: a noise shape known at export time, so the whole mask folds.
        if (random.Next(8) == 0) w = Dropout.Create(w, ConstOp.Scalar(graph, 1f, DType.Float, "keep_w"), seed: random.Next());
        var product = MatMulOp.Create(h, w, transposeB: transposeB);
        var bias = ConstOp.Create(Values(random, [outWidth], 0.5f), $"b{layer}");
        var sum = random.Next(3) switch
        {
            0 => AddOp.Create(product, bias),
            1 => AddOp.Create(bias, product),
            _ => BiasAddOp.Create(product, bias),
        };
        return random.Next(4) switch
        {
            0 or 1 => ReluOp.Create(sum),
            2 => IdentityOp.Create(sum),
            _ => StopGradientOp.Create(sum),
        };
    }

    /// <summary>tf.nn.dropout(h, keep_prob) with keep_prob a placeholder fed 1, or the constant 1.</summary>
    private static Tensor DropoutAtKeep1(Graph graph, Random random, Tensor h, List<FeedItem> feeds)
    {
        Tensor keep;
        if (random.Next(2) == 0)
        {
            keep = PlaceholderOp.Create(DType.Float, Shape.Scalar, "keep_prob");
            feeds.Add((keep, 1f));
        }
        else keep = ConstOp.Scalar(graph, 1f, DType.Float, "keep_one");
        return Dropout.Create(h, keep, seed: random.Next());
    }

    private static Tensor Scalar(Graph graph, Random random, Tensor h)
    {
        var c = ConstOp.Scalar(graph, random.Next(2) == 0 ? 1f : 0.5f + random.NextSingle(), DType.Float, "c");
        return random.Next(4) switch
        {
            0 => MulOp.Create(h, c),
            1 => RealDivOp.Create(h, c),
            2 => SubOp.Create(c, h),
            _ => MaximumOp.Create(h, c),
        };
    }

    private static NDArray Values(Random random, int[] shape, float scale)
    {
        var values = new float[NDArray.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (random.NextSingle() * 2 - 1) * scale;
        return new NDArray(DType.Float, shape, values);
    }
}
