using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;
using TfMnist.Runtime;
using static TfMnist.Tests.Ops.OpTestUtil;

namespace TfMnist.Tests.Ops;

/// <summary>sigmoid_cross_entropy_with_logits and the v1 softmax_cross_entropy_with_logits: TF's nodes, values, gradients.</summary>
public class CrossEntropyTests
{
    [Fact]
    public void SigmoidCrossEntropyHasTfNodes()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var logits = PlaceholderOp.Create(DType.Float, new Shape(2, 3), "logits");
        var labels = PlaceholderOp.Create(DType.Float, new Shape(2, 3), "labels");
        var loss = SigmoidCrossEntropy.WithLogits(labels, logits);
        Assert.Equal("logistic_loss", loss.Op.Name);
        Assert.Equal("Add", loss.Op.Type);
        foreach (var (name, type) in new[] { ("zeros_like", "Const"), ("GreaterEqual", "GreaterEqual"), ("Select", "Select"), ("Neg", "Neg"),
                     ("Select_1", "Select"), ("mul", "Mul"), ("sub", "Sub"), ("Exp", "Exp"), ("Log1p", "Log1p") })
            Assert.Equal(type, g.GetOperationByName("logistic_loss/" + name).Type);
        Assert.Equal(["logistic_loss/sub", "logistic_loss/Log1p"], loss.Op.Inputs.Select(t => t.Op.Name));
        // A second loss takes the next scope; an unknown batch makes zeros_like the ZerosLike op.
        var unknown = PlaceholderOp.Create(DType.Float, new Shape(-1, 3), "u");
        Assert.Equal("logistic_loss_1", SigmoidCrossEntropy.WithLogits(unknown, unknown).Op.Name);
        Assert.Equal("ZerosLike", g.GetOperationByName("logistic_loss_1/zeros_like").Type);
        Assert.Throws<ShapeMismatchException>(() => SigmoidCrossEntropy.WithLogits(PlaceholderOp.Create(DType.Float, new Shape(2, 2)), logits));
    }

    [Fact]
    public void SigmoidCrossEntropyMatchesTheFormulaWithoutOverflow()
    {
        float[] x = [-100, -3, -0.5f, 0, 0.25f, 4, 100, 30];
        float[] z = [0, 1, 0.3f, 1, 0, 0.5f, 1, 0];
        var g = new Graph();
        using var _ = g.AsDefault();
        var loss = SigmoidCrossEntropy.WithLogits(ConstOp.Create(F([8], z)), ConstOp.Create(F([8], x)));
        foreach (var options in new[] { SessionOptions.Reference, new SessionOptions() })
        {
            using var s = new Session(g, options);
            var r = s.Run(loss)!.Floats.ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                double expected = Math.Max(x[i], 0) - x[i] * z[i] + Math.Log(1 + Math.Exp(-Math.Abs(x[i])));
                Assert.Equal(expected, r[i], 5);
            }
        }
    }

    [Fact]
    public void SigmoidCrossEntropyGradients()
    {
        var logits = GradientCheck.Random(1, 3, 4);
        for (int i = 0; i < logits.Size; i++) logits.Floats[i] = MathF.CopySign(0.1f + MathF.Abs(logits.Floats[i]) * 3, logits.Floats[i]);
        var labels = GradientCheck.Random(2, 3, 4);
        for (int i = 0; i < labels.Size; i++) labels.Floats[i] = MathF.Abs(labels.Floats[i]);
        GradientCheck.Check(t => SigmoidCrossEntropy.WithLogits(t[1], t[0]), [logits, labels]);
    }

    [Fact]
    public void SoftmaxCrossEntropyV1StopsTheLabelsGradient()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var logits = PlaceholderOp.Create(DType.Float, new Shape(-1, 4), "logits");
        var labels = PlaceholderOp.Create(DType.Float, new Shape(-1, 4), "labels");
        var cost = SoftmaxCrossEntropy.WithLogits(labels, logits);
        Assert.Equal("softmax_cross_entropy_with_logits_sg/Reshape_2", cost.Op.Name);
        Assert.Equal("SoftmaxCrossEntropyWithLogits", g.GetOperationByName("softmax_cross_entropy_with_logits_sg").Type);
        var stop = g.GetOperationByName("softmax_cross_entropy_with_logits_sg/labels_stop_gradient");
        Assert.Equal("StopGradient", stop.Type);
        Assert.Equal("labels", stop.Inputs[0].Op.Name);
        Assert.Equal("softmax_cross_entropy_with_logits_sg/Reshape_1", g.GetOperationByName("softmax_cross_entropy_with_logits_sg").Inputs[1].Op.Name);
        Assert.Equal("softmax_cross_entropy_with_logits_sg/labels_stop_gradient",
            g.GetOperationByName("softmax_cross_entropy_with_logits_sg/Reshape_1").Inputs[0].Op.Name);
        var grads = GradientsBuilder.Build([cost], [logits, labels]);
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
        Assert.Equal("mine_sg", SoftmaxCrossEntropy.WithLogits(labels, logits, "mine_sg").Op.Inputs[0].Op.Name);

        using var s = new Session(g);
        var x = F([1, 4], 1, 2, 3, 4);
        var y = F([1, 4], 0, 0, 0, 1);
        double sum = Enumerable.Range(1, 4).Sum(k => Math.Exp(k));
        Assert.Equal(-Math.Log(Math.Exp(4) / sum), s.Run(cost, new FeedItem(logits, x), new FeedItem(labels, y))!.Floats[0], 5);
    }
}
