using TfMnist.Api;
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
}
