using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Export;
using TfMnist.Framework;
using TfMnist.Runtime;
using TfMnist.Saving;
using TfMnist.Tests.Checkpoint;
using TfMnist.Tests.Data;

namespace TfMnist.Tests.Export;

/// <summary>
/// The two checkpoints real TensorFlow wrote, exported to ONNX and run by ONNX Runtime on the 10,000 MNIST
/// test images: the accuracies TensorFlow gives (9165, 9222), and our Session's outputs within the tolerance.
/// </summary>
[Collection(typeof(RealMnistCollection))]
public class ReferenceCheckpointOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115, "Placeholder_4:0", "Softmax_2:0", 9165)]
    [InlineData(ReferenceCheckpoints.Tf18, "model/x:0", "model/ybar:0", 9222)]
    public void OnnxRuntimeGivesTensorFlowsAccuracyAndOurOutputs(string name, string inputName, string outputName, int expectedCorrect)
    {
        string dir = ReferenceCheckpoints.Directory(name);
        var test = MnistDataSets.ReadDataSets(RepoData.MnistDirOrSkip(), validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;
        var graph = new Graph();
        var saver = MetaGraphImporter.Import(graph, Path.Combine(dir, "mnist.meta"))!;
        using var session = new Session(graph);
        saver.Restore(session, CheckpointState.LatestCheckpoint(dir)!);
        var input = graph.GetTensorByName(inputName);
        var outputTensor = graph.GetTensorByName(outputName);

        var model = OnnxExporter.Export(session, input, outputTensor, []);
        Assert.Equal(inputName, model.Graph.Input.Single().Name);
        Assert.Equal(outputName, model.Graph.Output.Single().Name);

        var ours = session.Run(outputTensor, (input, new NDArray(DType.Float, [test.NumExamples, 784], test.Images)))!.Floats.ToArray();
        using var ort = new OrtRunner(model);
        var theirs = ort.Run(test.Images, test.NumExamples, 784);
        var result = Agreement.Compare(ours, theirs, 10, test.Labels);
        output.WriteLine($"{name}: opset {model.OpsetImport.Single().Version}, IR {model.IrVersion}, nodes {string.Join(" ", model.Graph.Node.Select(n => n.OpType))}; {result}");
        Assert.Equal(expectedCorrect, result.OursCorrect);
        Assert.True(result.MaxRelativeError <= Agreement.Tolerance, result.ToString());
        Assert.Equal(0, result.FlipsOutsideNearTies);
        // Every flip is a near-tie; TensorFlow's accuracy holds in ONNX Runtime up to those.
        Assert.InRange(result.OrtCorrect, expectedCorrect - result.ArgmaxFlips, expectedCorrect + result.ArgmaxFlips);

        // The opset-7 / IR-4 file passes ONNX's own full check too.
        string file = Path.Combine(Path.GetTempPath(), $"tfmnist-{name}-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.WriteFile(file, model);
            var (code, _, stderr) = PythonOnnx.Run("import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", file);
            Assert.True(code == 0, stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
