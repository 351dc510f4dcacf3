using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Mnist;

namespace TfMnist.Tests.Mnist;

/// <summary>The original's graph, built by the port, carries the node names TF 1.9 gives it.</summary>
public class MnistGraphNamingTests
{
    private static Graph BuildOriginal(bool caseInsensitive = true)
    {
        var graph = new Graph(caseInsensitive);
        using var _ = graph.AsDefault();
        MnistNetwork.Build(new MnistHyperParameters());
        return graph;
    }

    [Theory]
    [InlineData("input/inputData", "Placeholder")]
    [InlineData("input/Round", "Round")]
    [InlineData("input/inputLabel", "Placeholder")]
    [InlineData("input_reshape/Reshape", "Reshape")]
    [InlineData("input_reshape/input", "ImageSummary")]
    [InlineData("layerHidden1/weights/Variable", "VariableV2")]
    [InlineData("layerHidden1/weights/Variable/Assign", "Assign")]
    [InlineData("layerHidden1/weights/Variable/read", "Identity")]
    [InlineData("layerHidden1/weights/random_normal/RandomStandardNormal", "RandomStandardNormal")]
    [InlineData("layerHidden1/biases/Variable", "VariableV2")]
    [InlineData("layerHidden1/linear_compute/MatMul", "MatMul")]
    [InlineData("layerHidden1/linear_compute/add", "Add")]
    [InlineData("layerHidden1/linear_compute/linear", "HistogramSummary")]
    [InlineData("layerHidden1/activation", "Relu")]
    [InlineData("layerHidden1/activations", "HistogramSummary")]
    [InlineData("dropout/keep_prob", "Placeholder")]
    [InlineData("dropout/dropout_keep_probability", "ScalarSummary")]
    [InlineData("dropout/dropout/Floor", "Floor")]
    [InlineData("dropout/dropout/random_uniform/RandomUniform", "RandomUniform")]
    [InlineData("dropout/dropout/div", "RealDiv")]
    [InlineData("dropout/dropout/mul", "Mul")]
    [InlineData("layerOutput/activation", "Identity")]
    [InlineData("loss/softmax_cross_entropy_with_logits", "SoftmaxCrossEntropyWithLogits")]
    [InlineData("loss/total/Mean", "Mean")]
    [InlineData("loss_1", "ScalarSummary")]
    [InlineData("train/GradientDescent", "NoOp")]
    [InlineData("train/GradientDescent/learning_rate", "Const")]
    [InlineData("train/GradientDescent/update_layerHidden1/weights/Variable/ApplyGradientDescent", "ApplyGradientDescent")]
    [InlineData("train/gradients/layerHidden1/linear_compute/MatMul_grad/MatMul_1", "MatMul")]
    [InlineData("train/gradients/layerHidden1/linear_compute/MatMul_grad/tuple/control_dependency_1", "Identity")]
    [InlineData("train/gradients/layerHidden1/activation_grad/ReluGrad", "ReluGrad")]
    [InlineData("accuracy/correct_prediction/Equal", "Equal")]
    [InlineData("accuracy/accuracy/rate", "Mean")]
    [InlineData("accuracy_1", "ScalarSummary")]
    [InlineData("layerHidden1/weights/summaries/Mean", "Mean")]
    [InlineData("layerHidden1/weights/summaries/mean_1", "ScalarSummary")]
    [InlineData("layerHidden1/weights/summaries/stddev/Sqrt", "Sqrt")]
    [InlineData("layerHidden1/weights/summaries/stddev_1", "ScalarSummary")]
    [InlineData("layerHidden1/weights/summaries/max_1", "ScalarSummary")]
    [InlineData("layerHidden1/weights/summaries/min_1", "ScalarSummary")]
    [InlineData("layerHidden1/weights/summaries/histogram", "HistogramSummary")]
    [InlineData("Merge/MergeSummary", "MergeSummary")]
    public void OriginalGraphHasTf19Names(string name, string type)
    {
        var graph = BuildOriginal();
        Assert.True(graph.TryGetOperation(name, out var op), $"no node named '{name}'");
        Assert.Equal(type, op.Type);
    }

    [Fact]
    public void Tf18CaseSensitiveNamingKeepsLowerCaseMean()
    {
        // TF 1.8 compared names case-sensitively, so the summary scope "mean" was still free.
        var graph = BuildOriginal(caseInsensitive: false);
        Assert.Equal("ScalarSummary", graph.GetOperationByName("layerHidden1/weights/summaries/mean").Type);
        Assert.False(graph.TryGetOperation("layerHidden1/weights/summaries/mean_1", out _));
    }

    [Fact]
    public void SummaryTagsMatchTheOriginal()
    {
        var graph = BuildOriginal();
        var tags = graph.Operations
            .Where(op => op.Type.EndsWith("Summary") && op.Type != "MergeSummary")
            .Select(op => op.Name).ToHashSet();
        string[] expected =
        [
            "input_reshape/input", "dropout/dropout_keep_probability", "loss_1", "accuracy_1",
            "layerHidden1/linear_compute/linear", "layerHidden1/activations",
            "layerOutput/linear_compute/linear", "layerOutput/activations",
        ];
        foreach (string layer in new[] { "layerHidden1", "layerOutput" })
            foreach (string part in new[] { "weights", "biases" })
                foreach (string s in new[] { "mean_1", "stddev_1", "max_1", "min_1", "histogram" })
                    expected = [.. expected, $"{layer}/{part}/summaries/{s}"];
        Assert.Equal(expected.Order(), tags.Order());
    }

    [Fact]
    public void TheTensorNameContractResolves()
    {
        var graph = BuildOriginal();
        Assert.Equal(new Shape(-1, 784), graph.GetTensorByName(MnistTensorNames.InputData).Shape);
        Assert.Equal(new Shape(-1, 10), graph.GetTensorByName(MnistTensorNames.Output).Shape);
        Assert.Equal(DType.Float, graph.GetTensorByName(MnistTensorNames.KeepProb).DType);
        Assert.Equal(Shape.Scalar, graph.GetTensorByName(MnistTensorNames.Accuracy).Shape);
    }
}
