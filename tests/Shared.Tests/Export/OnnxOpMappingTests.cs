using TfMnist.Core;
using TfMnist.Export;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Export;

/// <summary>
/// The mappings the MLP-shaped graphs do not reach, each run by ONNX Runtime against our reference executor:
/// the elementwise ops, the reductions (axes as attributes, keepdims either way), Shape feeding a Reshape at
/// run time, ArgMax and Cast.
/// </summary>
public class OnnxOpMappingTests
{
    private const int Rows = 7, Width = 6;

    [Fact]
    public void ElementwiseOpsReductionsAndARunTimeShape()
    {
        var (x, output) = Build(x =>
        {
            var a = ExpOp.Create(NegOp.Create(x));
            var b = SqrtOp.Create(AddOp.Create(SquareOp.Create(x), ConstOp.Scalar(x.Graph, 1f, DType.Float, "one")));
            var c = FloorOp.Create(MulOp.Create(x, ConstOp.Scalar(x.Graph, 3f, DType.Float, "three")));
            var m = MaximumOp.Create(a, b);
            var reduced = AddOp.Create(AddOp.Create(SumOp.Create(m, [1], keepDims: true), MeanOp.Create(c, [-1], keepDims: true)),
                AddOp.Create(MaxOp.Create(m, [1], keepDims: true), MinOp.Create(c, [1], keepDims: true)));
            var prod = ReshapeOp.Create(ProdOp.Create(b, [1]), [-1, 1]);
            // A shape known only at run time: Shape (int32, a Cast after ONNX's int64) into Reshape (int64 again).
            var reshaped = ReshapeOp.Create(SubOp.Create(AddOp.Create(m, c), reduced), ShapeOp.Create(x));
            return AddOp.Create(reshaped, prod, "result");
        });
        AssertOrtAgrees(x, output, expectedOpset: 8);   // Max broadcasts from opset 8
    }

    [Fact]
    public void TheActivationsTheTensorFlowNetFacadeAdds()
    {
        var (x, output) = Build(x => MinimumOp.Create(TanhOp.Create(x), SigmoidOp.Create(MulOp.Create(x, ConstOp.Scalar(x.Graph, 2f, DType.Float, "two"))), "result"));
        AssertOrtAgrees(x, output, expectedOpset: 8);
    }

    [Fact]
    public void ArgMaxAndCast()
    {
        var (x, output) = Build(x => CastOp.Create(ArgMaxOp.Create(SoftmaxOp.Create(x), 1), DType.Float, "digit"));
        AssertOrtAgrees(x, output, expectedOpset: 7);
    }

    private static (Tensor Input, Tensor Output) Build(Func<Tensor, Tensor> body)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(-1, Width), "x");
        return (x, body(x));
    }

    private static void AssertOrtAgrees(Tensor input, Tensor output, int expectedOpset)
    {
        var images = new float[Rows * Width];
        var random = new Random(11);
        for (int i = 0; i < images.Length; i++) images[i] = random.NextSingle() * 4 - 2;
        using var session = new Session(input.Graph, SessionOptions.Reference);
        var model = OnnxExporter.Export(session, input, output, []);
        Assert.Equal(expectedOpset, model.OpsetImport[0].Version);
        var ours = session.Run(output, (input, new NDArray(DType.Float, [Rows, Width], images)))!;
        using var ort = new OrtRunner(model);
        var theirs = ort.Run(images, Rows, Width);
        var result = Agreement.Compare(ours.Floats, theirs, ours.Rank == 1 ? 1 : ours.Shape[^1]);
        Assert.True(result.MaxRelativeError <= Agreement.Tolerance, $"{result}; nodes {string.Join(" ", model.Graph.Node.Select(n => n.OpType))}");
    }
}
