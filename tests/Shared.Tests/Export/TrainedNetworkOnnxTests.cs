using TfMnist.Data;
using TfMnist.Tests.Data;

namespace TfMnist.Tests.Export;

/// <summary>
/// The original network after a short training run, exported and run by ONNX Runtime on all 10,000 MNIST
/// test images: the logits within <see cref="Agreement.Tolerance"/> of ours, the same digit except at near-ties.
/// </summary>
[Collection(typeof(RealMnistCollection))]
public class TrainedNetworkOnnxTests(ITestOutputHelper output)
{
    public const int Steps = 300;

    [Fact]
    public void OnnxRuntimeGivesOurLogitsOnTheTestSet()
    {
        var data = MnistDataSets.ReadDataSets(RepoData.MnistDirOrSkip(), seed: 3, cancellation: TestContext.Current.CancellationToken);
        using var model = new MnistModel(data, Steps);
        var onnx = model.Export();
        var test = data.Test;

        var ours = model.Logits(test.Images, test.NumExamples);
        using var ort = new OrtRunner(onnx);
        var theirs = ort.Run(test.Images, test.NumExamples, 784);
        var result = Agreement.Compare(ours, theirs, 10, test.Labels);
        output.WriteLine($"after {Steps} steps: opset {onnx.OpsetImport.Single().Version}, IR {onnx.IrVersion}, " +
                         $"nodes {string.Join(" ", onnx.Graph.Node.Select(n => n.OpType))}; {result}");
        Assert.True(result.MaxRelativeError <= Agreement.Tolerance, result.ToString());
        Assert.Equal(0, result.FlipsOutsideNearTies);
        Assert.True(result.OursCorrect > 7500, $"a trained network (about 8200 after 300 steps): {result}");
        Assert.Equal(["Round", "MatMul", "Add", "Relu", "MatMul", "Add", "Identity"], onnx.Graph.Node.Select(n => n.OpType));
    }
}
