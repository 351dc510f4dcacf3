using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

public class NnOpsTests
{
    private static NDArray AwayFromZero(int seed, params int[] shape)
    {
        // Relu has a kink at 0: keep every value at least 0.2 away so central differences are exact.
        var a = GradientCheck.Random(seed, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = a.Floats[i] >= 0 ? 0.2f + a.Floats[i] : -0.2f + a.Floats[i];
        return a;
    }

    private static float[] Run(Graph g, Tensor t, params FeedItem[] feeds)
    {
        using var s = new Session(g);
        return s.Run(t, feeds)!.Floats.ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void ReluForwardAndGradient()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = ConstOp.Create(new[] { -1.5f, 0f, 2.5f, -0.1f, 7f });
        AssertClose([0f, 0f, 2.5f, 0f, 7f], Run(g, ReluOp.Create(x)));

        GradientCheck.Check(t => ReluOp.Create(t[0]), [AwayFromZero(1, 3, 4)]);
    }

    [Fact]
    public void ReluGradForwardAndItsOwnGradient()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var grads = ConstOp.Create(new[] { 1f, 2f, 3f, 4f });
        var features = ConstOp.Create(new[] { -1f, 0f, 0.5f, 9f });
        AssertClose([0f, 0f, 3f, 4f], Run(g, ReluGradOp.Create(grads, features)));

        // _ReluGradGrad: d/dgradients = relu_grad(grad, features), d/dfeatures = zeros.
        GradientCheck.Check(t => ReluGradOp.Create(t[0], t[1]), [GradientCheck.Random(2, 2, 5), AwayFromZero(3, 2, 5)]);
    }

    [Fact]
    public void ReluGradientNodesAreNamedAsTensorFlowNamesThem()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 3), "x");
        var y = ReluOp.Create(x);
        var dx = GradientsBuilder.Build([y], [x])[0]!;
        Assert.Equal("gradients/Relu_grad/ReluGrad", dx.Op.Name);
        Assert.Same(y, dx.Op.Inputs[1]);

        var ddx = GradientsBuilder.Build([dx], [x])[0];
        Assert.True(g.TryGetOperation("gradients_1/gradients/Relu_grad/ReluGrad_grad/ReluGrad", out _));
        Assert.True(g.TryGetOperation("gradients_1/gradients/Relu_grad/ReluGrad_grad/Shape", out _));
        Assert.Equal("Const", g.GetOperationByName("gradients_1/gradients/Relu_grad/ReluGrad_grad/zeros/Const").Type);
        Assert.Equal("Fill", g.GetOperationByName("gradients_1/gradients/Relu_grad/ReluGrad_grad/zeros").Type);
        Assert.NotNull(ddx);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxForwardMatchHandComputedValues()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        // exp(-2), exp(-1), 1 over their sum 1.5032147.
        var logits = ConstOp.Create(new float[,] { { 1, 2, 3 }, { 1000, 1000, 1000 } });
        AssertClose([0.09003057f, 0.24472847f, 0.66524096f, 1 / 3f, 1 / 3f, 1 / 3f], Run(g, SoftmaxOp.Create(logits)));
        AssertClose([-2.40760596f, -1.40760596f, -0.40760596f, -1.09861229f, -1.09861229f, -1.09861229f],
            Run(g, LogSoftmaxOp.Create(logits)));
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxGradients()
    {
        GradientCheck.Check(t => SoftmaxOp.Create(t[0]), [GradientCheck.Random(4, 3, 5)], eps: 1e-2, tolerance: 1e-2);
        GradientCheck.Check(t => LogSoftmaxOp.Create(t[0]), [GradientCheck.Random(5, 3, 5)], eps: 1e-2, tolerance: 1e-2);
    }

    [Fact]
    public void SoftmaxGradientNodesAreNamedAsTensorFlow19NamesThem()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 10), "x");
        GradientsBuilder.Build([SoftmaxOp.Create(x)], [x]);
        foreach (var (name, type) in new[]
                 {
                     ("mul", "Mul"), ("Sum", "Sum"), ("Sum/reduction_indices", "Const"), ("Reshape", "Reshape"),
                     ("Reshape/shape", "Const"), ("sub", "Sub"), ("mul_1", "Mul"),
                 })
            Assert.Equal(type, g.GetOperationByName("gradients/Softmax_grad/" + name).Type);

        GradientsBuilder.Build([LogSoftmaxOp.Create(x)], [x]);
        foreach (var (name, type) in new[] { ("Exp", "Exp"), ("Sum", "Sum"), ("Sum/reduction_indices", "Const"), ("mul", "Mul"), ("sub", "Sub") })
            Assert.Equal(type, g.GetOperationByName("gradients_1/LogSoftmax_grad/" + name).Type);
        // reduce_sum(grad, 1, keepdims=True): a scalar axis and keep_dims set.
        var sum = g.GetOperationByName("gradients_1/LogSoftmax_grad/Sum");
        Assert.True(sum.Attrs.GetBool("keep_dims"));
        Assert.Equal(0, sum.Inputs[1].Shape.Rank);
    }

    [Fact]
    public void SoftmaxCrossEntropyForwardIsStableAndMatchesHandComputedValues()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var logits = ConstOp.Create(new float[,] { { 1, 2, 3 }, { 1000, 0, -1000 } });
        var labels = ConstOp.Create(new float[,] { { 0, 0, 1 }, { 0, 0.5f, 0.5f } });
        var (loss, backprop) = SoftmaxCrossEntropyWithLogitsOp.Create(logits, labels);
        Assert.Equal(new Shape(2), loss.Shape);
        Assert.Equal(new Shape(2, 3), backprop.Shape);
        using var s = new Session(g);
        var (l, b) = s.Run((loss, backprop));
        // Row 0: -log softmax[2]; row 1: 0.5 * 1000 + 0.5 * 2000 with no overflow.
        AssertClose([0.40760596f, 1500f], l!.Floats.ToArray(), 1e-3f);
        AssertClose([0.09003057f, 0.24472847f, 0.66524096f - 1f, 1f, -0.5f, -0.5f], b!.Floats.ToArray());
    }

    [Fact]
    public void SoftmaxCrossEntropyGradientsForLogitsAndLabels()
    {
        // backprop = softmax - labels is d(loss)/d(logits) only for labels that are distributions
        // (TF assumes so too), so each row here is positive and sums to 1.
        var labels = GradientCheck.Random(7, 4, 5);
        for (int r = 0; r < 4; r++)
        {
            var row = labels.Floats.Slice(r * 5, 5);
            for (int c = 0; c < 5; c++) row[c] = 1.5f + row[c];
            float total = System.Numerics.Tensors.TensorPrimitives.Sum<float>(row);
            for (int c = 0; c < 5; c++) row[c] /= total;
        }
        GradientCheck.Check(t => SoftmaxCrossEntropyWithLogitsOp.Create(t[0], t[1]).Loss,
            [GradientCheck.Random(6, 4, 5), labels], eps: 1e-2, tolerance: 1e-2);
    }

    [Fact]
    public void SoftmaxCrossEntropySecondOrderTermThroughTheBackpropOutput()
    {
        // Differentiating the backprop output (softmax - labels) needs the grad_grad term.
        var labels = GradientCheck.Random(9, 3, 4);
        GradientCheck.Check(t => SoftmaxCrossEntropyWithLogitsOp.Create(t[0], ConstOp.Create(labels, "labels", t[0].Graph)).Backprop,
            [GradientCheck.Random(8, 3, 4)], eps: 1e-2, tolerance: 1e-2);
    }

    [Fact]
    public void SoftmaxCrossEntropyGradientNodesAreNamedAsTensorFlow19NamesThem()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var logits = PlaceholderOp.Create(DType.Float, new Shape(-1, 10), "logits");
        var labels = PlaceholderOp.Create(DType.Float, new Shape(-1, 10), "labels");
        var (loss, backprop) = SoftmaxCrossEntropyWithLogitsOp.Create(logits, labels);
        var grads = GradientsBuilder.Build([loss], [logits, labels]);
        const string p = "gradients/SoftmaxCrossEntropyWithLogits_grad/";
        Assert.Equal(p + "mul", grads[0]!.Op.Name);
        Assert.Equal(p + "mul_1", grads[1]!.Op.Name);
        var expand = g.GetOperationByName(p + "ExpandDims");
        Assert.Equal("ExpandDims", expand.Type);
        Assert.Equal(DType.Int32, expand.Attrs.GetType("Tdim"));
        Assert.Equal(-1, ConstantValue.Of(g.GetTensorByName(p + "ExpandDims/dim:0"))!.Ints[0]);
        Assert.Same(backprop, grads[0]!.Op.Inputs[1]);
        Assert.Equal("LogSoftmax", g.GetOperationByName(p + "LogSoftmax").Type);
        Assert.Equal("Neg", g.GetOperationByName(p + "Neg").Type);
        Assert.Equal("ExpandDims", g.GetOperationByName(p + "ExpandDims_1").Type);
        // The backprop output's gradient is a ZerosLike, so no second-order term is built.
        Assert.False(g.TryGetOperation(p + "Softmax", out _));
        Assert.False(g.TryGetOperation(p + "add", out _));
    }

    [Fact]
    public void SoftmaxCrossEntropyShapeErrorsNameTheOps()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var logits = PlaceholderOp.Create(DType.Float, new Shape(-1, 10), "logits");
        var labels = PlaceholderOp.Create(DType.Float, new Shape(-1, 5), "labels");
        var e = Assert.Throws<ShapeMismatchException>(() => SoftmaxCrossEntropyWithLogitsOp.Create(logits, labels));
        Assert.Contains("'logits'", e.Message);
        Assert.Contains("'labels'", e.Message);
        Assert.Contains("SoftmaxCrossEntropyWithLogits", e.Message);
        var scalar = PlaceholderOp.Create(DType.Float, Shape.Scalar, "s");
        Assert.Throws<ShapeMismatchException>(() => SoftmaxOp.Create(scalar));
    }

    [Fact]
    public void BiasAddForwardGradientAndAttrs()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var value = ConstOp.Create(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var bias = ConstOp.Create(new[] { 10f, 20f, 30f });
        var y = BiasAddOp.Create(value, bias);
        Assert.Equal("BiasAdd", y.Op.Name);
        Assert.Equal("NHWC", y.Op.Attrs.GetString("data_format"));
        AssertClose([11f, 22f, 33f, 14f, 25f, 36f], Run(g, y));
        var db = BiasAddGradOp.Create(value);
        Assert.Equal(new Shape(3), db.Shape);
        AssertClose([5f, 7f, 9f], Run(g, db));

        var grads = GradientsBuilder.Build([y], [value, bias]);
        Assert.Equal("gradients/BiasAdd_grad/BiasAddGrad", grads[1]!.Op.Name);
        Assert.Equal("NHWC", grads[1]!.Op.Attrs.GetString("data_format"));

        Assert.Throws<NotSupportedException>(() => BiasAddOp.Create(value, bias, "NCHW"));
        Assert.Throws<ShapeMismatchException>(() => BiasAddOp.Create(value, ConstOp.Create(new[] { 1f, 2f })));

        GradientCheck.Check(t => BiasAddOp.Create(t[0], t[1]), [GradientCheck.Random(10, 4, 3), GradientCheck.Random(11, 3)]);
        GradientCheck.Check(t => BiasAddOp.Create(t[0], t[1]), [GradientCheck.Random(12, 2, 2, 3), GradientCheck.Random(13, 3)]);
    }

    [Fact]
    public void ExpandDimsShapesViewAndGradient()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var x = ConstOp.Create(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new Shape(2, 3, 1), ExpandDimsOp.Create(x, -1).Shape);
        Assert.Equal(new Shape(1, 2, 3), ExpandDimsOp.Create(x, 0).Shape);
        Assert.Equal(new Shape(2, 1, 3), ExpandDimsOp.Create(x, -2).Shape);
        Assert.Throws<ShapeMismatchException>(() => ExpandDimsOp.Create(x, 3));
        using var s = new Session(g);
        var v = s.Run(ExpandDimsOp.Create(x, 1))!;
        Assert.Equal(new[] { 2, 1, 3 }, v.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, v.Floats.ToArray());

        GradientCheck.Check(t => ExpandDimsOp.Create(t[0], -1), [GradientCheck.Random(14, 3, 2)]);
        GradientCheck.Check(t => ExpOp.Create(t[0]), [GradientCheck.Random(15, 3, 2)]);
    }

    [Fact]
    public void EveryNewOpIsRegisteredWithAGradientOrMarkedNotDifferentiable()
    {
        string[] types =
        [
            "Relu", "ReluGrad", "Softmax", "LogSoftmax", "SoftmaxCrossEntropyWithLogits", "BiasAdd", "BiasAddGrad",
            "ExpandDims", "Exp", "VariableV2", "Assign", "ApplyGradientDescent", "RandomStandardNormal", "RandomUniform",
        ];
        foreach (var type in types)
        {
            var def = OpRegistry.Lookup(type);
            Assert.True(def is not null, $"{type} is not registered");
            Assert.True(def!.Gradient is not null ^ def.IsNotDifferentiable, $"{type} needs exactly one of a gradient or IsNotDifferentiable");
        }
        foreach (var type in new[] { "VariableV2", "Assign", "ApplyGradientDescent", "RandomStandardNormal", "RandomUniform" })
            Assert.True(OpRegistry.Lookup(type)!.IsStateful, $"{type} must be stateful");
    }
}

public class LargeSoftmaxCrossEntropyTests
{
    [Fact]
    public void ATestSetSizedBatchSplitOverCoresMatchesRowByRowValues()
    {
        var g = new TfMnist.Framework.Graph();
        using var _ = g.AsDefault();
        int batch = 10000, classes = 10;
        var rng = new Random(4);
        var logits = new float[batch * classes];
        var labels = new float[batch * classes];
        for (int i = 0; i < logits.Length; i++) logits[i] = (float)(rng.NextDouble() * 8 - 4);
        for (int b = 0; b < batch; b++) labels[b * classes + rng.Next(classes)] = 1f;
        var (loss, backprop) = TfMnist.Ops.SoftmaxCrossEntropyWithLogitsOp.Create(
            TfMnist.Ops.ConstOp.Create(new NDArray(DType.Float, [batch, classes], logits)),
            TfMnist.Ops.ConstOp.Create(new NDArray(DType.Float, [batch, classes], labels)));
        using var s = new TfMnist.Runtime.Session(g);
        var results = s.Run([loss, backprop]);
        foreach (int b in new[] { 0, 4999, 5000, 9999 })
        {
            var row = logits.AsSpan(b * classes, classes).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            int label = Array.IndexOf(labels, 1f, b * classes) - b * classes;
            Assert.Equal(Math.Log(sum) - (row[label] - max), results[0]!.Floats[b], 4);
            for (int j = 0; j < classes; j++)
                Assert.Equal(Math.Exp(row[j] - max) / sum - (j == label ? 1 : 0), results[1]!.Floats[b * classes + j], 5);
        }
    }
}

/// <summary>
/// SoftmaxCrossEntropyWithLogits against a double-precision reference, on every path: the op
/// (lane per row where AVX-512 is available, split over cores for large batches) and the kernel's
/// lane-per-row and scalar paths called directly, across batch sizes around the 16-row block and
/// class counts on both sides of the lane path's 16-class limit.
/// </summary>
public class SoftmaxCrossEntropyReferenceTests
{
    public static TheoryData<int, int, string> Cases()
    {
        var data = new TheoryData<int, int, string>();
        foreach (int batch in new[] { 0, 1, 15, 16, 17, 100, 10000 })
            foreach (int classes in new[] { 1, 2, 10, 16, 17 })
                foreach (string kind in new[] { "moderate", "large", "one-hot" })
                    data.Add(batch, classes, kind);
        return data;
    }

    /// <summary>
    /// Logits in [-4, 4) ("moderate") or spread over +-1e30 ("large": exp underflows to 0 for all but
    /// the max, and x - max must not overflow); labels in [-1, 2), not summing to 1, or one-hot.
    /// </summary>
    private static (float[] Logits, float[] Labels) Inputs(int batch, int classes, string kind)
    {
        var rng = new Random(batch * 31 + classes);
        var logits = new float[batch * classes];
        var labels = new float[batch * classes];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = kind == "large" ? (float)((rng.NextDouble() * 2 - 1) * 1e30) : (float)(rng.NextDouble() * 8 - 4);
            if (kind != "one-hot") labels[i] = (float)(rng.NextDouble() * 3 - 1);
        }
        if (kind == "one-hot")
            for (int b = 0; b < batch; b++) labels[b * classes + rng.Next(classes)] = 1f;
        // Some ties for the max, and a row with every logit equal.
        if (batch > 0 && classes > 1) logits[classes - 1] = logits[0];
        if (batch > 1) Array.Fill(logits, logits[classes], classes, classes);
        return (logits, labels);
    }

    /// <summary>
    /// Each output within a few float epsilons (2^-23) of the terms it is made of: the loss
    /// sum(l) * ln(sum e) - sum(l * (x - max)) to 3 eps of |sum l| * max(1, ln sum e) + sum |l (x - max)|,
    /// the backprop e / sum e - l to 5 eps of e / sum e + |l|. Relative to the result itself would be
    /// too strict where the terms cancel (a confident correct prediction), for any float implementation.
    /// Measured worst cases over these inputs, on both kernel paths and the row-by-row MathF code
    /// they replaced alike: 2.1 eps for the loss, 4.4 eps for the backprop (one-hot labels, where
    /// the error of sum e, up to the class count in roundings, shows in softmax - 1).
    /// </summary>
    private static void CheckAgainstDouble(float[] logits, float[] labels, int batch, int classes, ReadOnlySpan<float> loss, ReadOnlySpan<float> backprop)
    {
        const double eps = 1.0 / (1 << 23);
        Assert.Equal(batch, loss.Length);
        Assert.Equal(batch * classes, backprop.Length);
        for (int b = 0; b < batch; b++)
        {
            var x = logits.AsSpan(b * classes, classes);
            var l = labels.AsSpan(b * classes, classes);
            double max = double.NegativeInfinity, sum = 0, labelSum = 0, dot = 0, dotScale = 0;
            foreach (var v in x) max = Math.Max(max, v);
            for (int j = 0; j < classes; j++)
            {
                sum += Math.Exp(x[j] - max);
                labelSum += l[j];
                dot += l[j] * (x[j] - max);
                dotScale += Math.Abs(l[j] * (x[j] - max));
            }
            double expectedLoss = labelSum * Math.Log(sum) - dot;
            double lossScale = Math.Abs(labelSum) * Math.Max(1, Math.Log(sum)) + dotScale;
            Assert.True(Math.Abs(loss[b] - expectedLoss) <= 3 * eps * lossScale,
                $"loss[{b}] of [{batch},{classes}]: expected {expectedLoss:R}, got {loss[b]:R}");
            for (int j = 0; j < classes; j++)
            {
                double softmax = Math.Exp(x[j] - max) / sum;
                double expected = softmax - l[j];
                float actual = backprop[b * classes + j];
                Assert.True(Math.Abs(actual - expected) <= 5 * eps * (softmax + Math.Abs(l[j])),
                    $"backprop[{b},{j}] of [{batch},{classes}]: expected {expected:R}, got {actual:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheOpMatchesADoubleReference(int batch, int classes, string kind)
    {
        var (logits, labels) = Inputs(batch, classes, kind);
        var g = new Graph();
        using var _ = g.AsDefault();
        var (loss, backprop) = SoftmaxCrossEntropyWithLogitsOp.Create(
            ConstOp.Create(new NDArray(DType.Float, [batch, classes], logits)),
            ConstOp.Create(new NDArray(DType.Float, [batch, classes], labels)));
        using var s = new Session(g);
        var results = s.Run([loss, backprop]);
        CheckAgainstDouble(logits, labels, batch, classes, results[0]!.Floats, results[1]!.Floats);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothKernelPathsMatchADoubleReference(int batch, int classes, string kind)
    {
        var (logits, labels) = Inputs(batch, classes, kind);
        foreach (bool lanePerRow in new[] { false, true })
        {
            var loss = new float[batch];
            var backprop = new float[batch * classes];
            TfMnist.Kernels.SoftmaxCrossEntropyRows.Run(logits, labels, loss, backprop, 0, batch, classes, lanePerRow);
            CheckAgainstDouble(logits, labels, batch, classes, loss, backprop);
        }
    }

    [Fact]
    public void ARangeOfRowsWritesOnlyThoseRowsAndTheirValuesDoNotDependOnTheRange()
    {
        // ParallelSplit hands the kernel row ranges: a range's short tail overlaps the block before
        // it (count >= 16) or runs on a padded copy (count < 16), and must not spill outside.
        const int batch = 53, classes = 10;
        var (logits, labels) = Inputs(batch, classes, "moderate");
        var whole = (Loss: new float[batch], Backprop: new float[batch * classes]);
        TfMnist.Kernels.SoftmaxCrossEntropyRows.Run(logits, labels, whole.Loss, whole.Backprop, 0, batch, classes, lanePerRow: true);
        foreach (var (first, count) in new[] { (0, 5), (5, 16), (21, 17), (38, 15), (3, 40) })
        {
            var loss = Enumerable.Repeat(float.NaN, batch).ToArray();
            var backprop = Enumerable.Repeat(float.NaN, batch * classes).ToArray();
            TfMnist.Kernels.SoftmaxCrossEntropyRows.Run(logits, labels, loss, backprop, first, count, classes, lanePerRow: true);
            for (int b = 0; b < batch; b++)
            {
                bool inside = b >= first && b < first + count;
                Assert.Equal(inside ? whole.Loss[b] : float.NaN, loss[b]);
                for (int j = 0; j < classes; j++)
                    Assert.Equal(inside ? whole.Backprop[b * classes + j] : float.NaN, backprop[b * classes + j]);
            }
        }
    }
}
