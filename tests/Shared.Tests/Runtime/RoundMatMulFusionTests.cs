using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>The Round-into-MatMul rewrite on graphs other than the input layer it was made for.</summary>
public class RoundMatMulFusionTests
{
    private static NDArray Binarish(int rows, int cols)
    {
        // Mostly below 0.5, so Round(x) is mostly zero: the shape the sparse-left product is chosen for.
        var values = new float[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = i % 7 == 0 ? 0.75f + i % 3 : 0.25f;
        return new NDArray(DType.Float, [rows, cols], values);
    }

    private static float[] Product(NDArray a, NDArray b, bool transposeB)
    {
        int m = a.Shape[0], k = a.Shape[1], n = transposeB ? b.Shape[0] : b.Shape[1];
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++) sum += a.Floats[i * k + p] * (transposeB ? b.Floats[j * k + p] : b.Floats[p * n + j]);
                c[i * n + j] = sum;
            }
        return c;
    }

    [Theory]
    [InlineData(40, 30, true)]
    [InlineData(30, 30, false)]
    public void RoundReadOnBothSidesOfTheProductIsComputed(int rows, int cols, bool transposeB)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, [rows, cols], name: "x");
        var r = tf.round(x);
        var y = tf.matmul(r, r, transpose_b: transposeB);
        var input = Binarish(rows, cols);
        var rounded = new NDArray(DType.Float, [rows, cols], input.Floats.ToArray().Select(v => MathF.Round(v, MidpointRounding.ToEven)).ToArray());
        using var session = new Session(graph);
        var result = session.Run(y, (x, input))!;
        Assert.Equal(Product(rounded, rounded, transposeB), result.Floats.ToArray());
    }

    [Fact]
    public void InfAndNaNInTheWeightsGiveTheReferenceSessionsNaNsOnEverySparsePath()
    {
        // The input layer's fused Round-into-MatMul with its bias and ReLU, a plain MatMul of a binarised operand,
        // and the weight gradient's Xᵀ·dH: each skips the zeros of its left operand, where 0·Inf must still be NaN.
        const int rows = 64, cols = 784, hidden = 100;
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, [rows, cols], name: "x");
        var binary = tf.placeholder(tf.float32, [rows, cols], name: "binary");
        var dh = tf.placeholder(tf.float32, [rows, hidden], name: "dh");
        var rng = new Random(11);
        var weights = new NDArray(DType.Float, [cols, hidden], Enumerable.Range(0, cols * hidden).Select(_ => rng.NextSingle() - 0.5f).ToArray());
        weights.Floats[3 * hidden + 7] = float.PositiveInfinity; // row 3: column 3 of x is zero in most rows
        weights.Floats[500 * hidden + 42] = float.NaN;
        var w = tf.constant(weights);
        var bias = tf.constant(new NDArray(DType.Float, [hidden], Enumerable.Range(0, hidden).Select(j => j * 0.01f).ToArray()));
        var layer = tf.nn.relu(tf.matmul(tf.round(x), w) + bias);
        var product = tf.matmul(binary, w);
        var gradient = tf.matmul(tf.round(x), dh, transpose_a: true);

        var input = Binarish(rows, cols);
        var binaryValue = new NDArray(DType.Float, [rows, cols], input.Floats.ToArray().Select(v => MathF.Round(v)).ToArray());
        var dhValue = new NDArray(DType.Float, [rows, hidden], Enumerable.Range(0, rows * hidden).Select(i => i == 5 * hidden + 1 ? float.NegativeInfinity : 0.25f).ToArray());
        Tensor[] fetches = [layer, product, gradient];
        FeedItem[] feeds = [(x, input), (binary, binaryValue), (dh, dhValue)];

        using var fast = new Session(graph);
        using var reference = new Session(graph, SessionOptions.Reference);
        var fastValues = fast.Run(fetches.Select(t => (Fetch)t).ToArray(), feeds);
        var referenceValues = reference.Run(fetches.Select(t => (Fetch)t).ToArray(), feeds);
        for (int f = 0; f < fetches.Length; f++)
        {
            var (got, want) = (fastValues[f]!.Floats.ToArray(), referenceValues[f]!.Floats.ToArray());
            Assert.Contains(want, float.IsNaN);
            for (int i = 0; i < want.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]),
                    $"{fetches[f].Name}[{i}]: fast {got[i]:R}, reference {want[i]:R}");
        }
    }
}
