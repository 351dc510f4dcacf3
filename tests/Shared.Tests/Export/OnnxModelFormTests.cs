using Google.Protobuf;
using TfMnist.Core;
using TfMnist.Export;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Proto.Onnx;
using TfMnist.Runtime;

namespace TfMnist.Tests.Export;

/// <summary>The form of an exported model: versions, names, the dynamic batch, the weights as initializers,
/// the dropout folded away, and the one-line errors for what cannot be exported.</summary>
public class OnnxModelFormTests
{
    [Fact]
    public void OpsetAndIrVersionStayAtOrBelow17And8()
    {
        using var model = new MnistModel();
        var onnx = model.Export();
        var opset = onnx.OpsetImport.Single();
        Assert.Equal("", opset.Domain);
        // Round (opset 11) is the newest operator the network needs; IR 6 is opset 11's.
        Assert.Equal(11, opset.Version);
        Assert.Equal(6, onnx.IrVersion);
        Assert.InRange(opset.Version, OnnxFormat.MinOpset, 17);
        Assert.InRange(onnx.IrVersion, 4, 8);
    }

    [Fact]
    public void InputAndOutputKeepTheirTensorFlowNamesAndADynamicBatch()
    {
        using var model = new MnistModel();
        var graph = model.Export().Graph;
        var input = Assert.Single(graph.Input);
        var output = Assert.Single(graph.Output);
        Assert.Equal("input/inputData:0", input.Name);
        Assert.Equal("layerOutput/activation:0", output.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(["batch", "784"], Dims(input));
        Assert.Equal(["batch", "10"], Dims(output));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(250)]
    public void OnnxRuntimeTakesAnyBatchSize(int rows)
    {
        using var model = new MnistModel();
        var images = new float[rows * 784];
        var random = new Random(rows);
        for (int i = 0; i < images.Length; i++) images[i] = random.NextSingle();
        using var ort = new OrtRunner(model.Export());
        var theirs = ort.Run(images, rows, 784);
        var result = Agreement.Compare(model.Logits(images, rows), theirs, 10);
        Assert.Equal(rows, result.Rows);
        Assert.True(result.MaxRelativeError <= Agreement.Tolerance, result.ToString());
    }

    [Fact]
    public void TheWeightsAreInitializersHoldingTheVariablesValues()
    {
        using var model = new MnistModel();
        var graph = model.Export().Graph;
        Assert.Equal(4, graph.Initializer.Count);
        foreach (var variable in Variable.TrainableVariables(model.Graph))
        {
            var init = Assert.Single(graph.Initializer, t => t.Name == variable.Value.Name);
            var value = model.Session.GetVariable(variable.Op)!;
            Assert.Equal(value.Shape.Select(d => (long)d), init.Dims);
            Assert.Equal(value.RawBytes.ToArray(), init.RawData.ToByteArray());
        }
    }

    [Fact]
    public void TheDropoutSubgraphAtKeepProb1Disappears()
    {
        using var model = new MnistModel();
        var graph = model.Export().Graph;
        Assert.DoesNotContain(graph.Node, n => n.Name.StartsWith("dropout/", StringComparison.Ordinal));
        Assert.DoesNotContain(graph.Node, n => n.OpType is "RandomUniform" or "Floor" or "Shape" or "Div" or "Mul" or "Expand");
        Assert.DoesNotContain(graph.Input, i => i.Name.Contains("keep_prob"));
        // The output layer reads the hidden layer's activations directly.
        Assert.Contains(graph.Node, n => n.OpType == "MatMul" && n.Input[0] == "layerHidden1/activation:0");
    }

    [Fact]
    public void KeepProbBelow1IsAnErrorNamingTheRandomNode()
    {
        using var model = new MnistModel();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model.Session, model.Net.InputData, model.Net.Logits, [(model.Net.KeepProb!, 0.5f)]));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Matches(@"^node 'dropout/dropout/[A-Za-z_]+' \((Add|Floor)\): .*keep_prob", e.Message);
    }

    [Fact]
    public void AnUnfedPlaceholderIsAnErrorNamingIt()
    {
        using var model = new MnistModel();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model.Session, model.Net.InputData, model.Net.Logits, []));
        Assert.Equal("node 'dropout/keep_prob' (Placeholder): a placeholder that is neither the input nor fed (feed it with --feed NAME=VALUE)", e.Message);
    }

    [Fact]
    public void AnUnmappedOpIsOneLineNamingTheNodeAndItsType()
    {
        var graph = new Graph();
        Tensor x, y;
        using (graph.AsDefault())
        {
            x = PlaceholderOp.Create(DType.Float, new Shape(-1, 4), "x");
            var tiled = TileOp.Create(ReluOp.Create(x), ConstOp.Vector(graph, [1, 2], "multiples"), "tiled");
            y = SoftmaxOp.Create(tiled, "probabilities");
        }
        using var session = new Session(graph);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(session, x, y, []));
        Assert.Equal("node 'tiled' (Tile): no ONNX mapping for this op type", e.Message);
    }

    [Fact]
    public void TheSameSessionExportsTheSameBytes()
    {
        using var model = new MnistModel();
        Assert.Equal(model.Export().ToByteArray(), model.Export().ToByteArray());
    }

    [Fact]
    public void OutputEqualToInputIsAnError()
    {
        using var model = new MnistModel();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model.Session, model.Net.InputData, model.Net.InputData, model.ConstantFeeds));
        Assert.StartsWith("node 'input/inputData' (Placeholder): ", e.Message);
    }

    private static string[] Dims(ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString()).ToArray();
}
