using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;
using static TfMnist.Tests.Checkpoint.HandBuiltMetaGraph;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// Ops this engine lacks import whatever consumes them; only a run that needs one fails, naming the
/// node and its op type. Their output dtypes are guessed from attrs, and a wrong guess must not fail the
/// import of a known consumer either.
/// </summary>
public class UnknownOpImportTests
{
    private static Graph Import(HandBuiltMetaGraph g)
    {
        var graph = new Graph();
        GraphDefImporter.Import(graph, g.GraphDef, "hand-built");
        return graph;
    }

    [Fact]
    public void AnUnknownRandomOpOutputsItsDtypeAttrNotItsShapeType()
    {
        // TF's random ops carry T (the shape's type, int32) and dtype (the output's).
        var g = new HandBuiltMetaGraph(26, "1.8.0");
        g.Const("shape", new NDArray(DType.Int32, [1], new[] { 3 }));
        g.Node("random/ParameterizedTruncatedNormal", "ParameterizedTruncatedNormal", ["shape"],
            ("T", Attr.Type(DType.Int32)), ("dtype", Attr.Type(DType.Float)), ("seed", Attr.Int(0)), ("seed2", Attr.Int(0)));
        g.Const("scale", 2f);
        g.Node("random/mul", "Mul", ["random/ParameterizedTruncatedNormal", "scale"], T);
        var graph = Import(g);
        Assert.Equal(DType.Float, graph.GetTensorByName("random/ParameterizedTruncatedNormal:0").DType);
        using var session = new Session(graph);
        var error = Assert.Throws<NotSupportedException>(() => session.Run("random/mul:0"));
        Assert.Contains("'random/ParameterizedTruncatedNormal'", error.Message);
        Assert.Contains("'ParameterizedTruncatedNormal'", error.Message);
    }

    [Fact]
    public void AKnownConsumerOfAnUnknownOpImportsWhenTheGuessedDtypeIsWrong()
    {
        // Bucketize has T = float (its input) but outputs int32: no attr says so.
        var g = new HandBuiltMetaGraph(26, "1.8.0");
        g.Placeholder("x", new Shape(-1));
        g.Node("Bucketize", "Bucketize", ["x"], T, ("boundaries", new Proto.AttrValue { List = new() { F = { 0f, 1f } } }));
        g.Const("three", 3);
        g.Node("Equal", "Equal", ["Bucketize", "three"], ("T", Attr.Type(DType.Int32)));
        // Equal's guessed output (int32, from T) is wrong again for the next known consumer.
        g.Node("ToFloat", "Cast", ["Equal"], ("SrcT", Attr.Type(DType.Bool)), ("DstT", Attr.Type(DType.Float)));
        g.Node("sum", "AddN", ["ToFloat", "ToFloat"], T, ("N", Attr.Int(2)));
        g.Node("Relu", "Relu", ["x"], T);
        var graph = Import(g);
        using var session = new Session(graph);
        Assert.Equal(new[] { 0f, 2f }, session.Run("Relu:0", (graph.GetTensorByName("x:0"), new[] { -1f, 2f }))!.Floats.ToArray());
        var error = Assert.Throws<NotSupportedException>(() => session.Run("sum:0", (graph.GetTensorByName("x:0"), new[] { 1f })));
        Assert.Contains("'Bucketize'", error.Message);
    }

    [Fact]
    public void AnUnknownOpNothingConsumesCanBeFetchedByNameAndSaysWhatItLacks()
    {
        var g = new HandBuiltMetaGraph(26, "1.8.0");
        g.Placeholder("w", new Shape(3));
        g.Node("l2/L2Loss", "L2Loss", ["w"], T);
        var graph = Import(g);
        using var session = new Session(graph);
        var error = Assert.Throws<NotSupportedException>(() => session.Run("l2/L2Loss:0", (graph.GetTensorByName("w:0"), new[] { 1f, 2f, 3f })));
        Assert.Contains("'l2/L2Loss'", error.Message);
        Assert.Contains("'L2Loss'", error.Message);
    }
}
