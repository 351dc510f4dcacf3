using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using static TfMnist.Tests.Ops.OpTestUtil;

namespace TfMnist.Tests.Ops;

public class ArrayOpsTests
{
    [Fact]
    public void RankSizeShapeNAndShapeArithmeticOnAFedShape()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 3), "x");
        var rank = RankOp.Create(x);
        var size = SizeOp.Create(x);
        var shapes = ShapeNOp.Create([x, rank]);
        // Prod(Shape(x)) // Maximum(Prod(Shape(Mean(x))), 1), as Mean's gradient computes it.
        var factor = ReductionShapes.SafeShapeDiv(ProdOp.ReduceProd(ShapeOp.Create(x)), ProdOp.ReduceProd(ShapeOp.Create(MeanOp.Create(x, [1]))));
        using var s = new Session(g);
        var feed = new FeedItem(x, new float[5, 3]);
        Equal(I([], 2), s.Run(rank, feed)!);
        Equal(I([], 15), s.Run(size, feed)!);
        Equal(I([2], 5, 3), s.Run(shapes[0], feed)!);
        Equal(I([0]), s.Run(shapes[1], feed)!);
        Equal(I([], 3), s.Run(factor, feed)!);
        Assert.Equal(["N", "T", "out_type"], AttrNames(shapes[0]));
        // The Python-level wrappers fold what is statically known into Consts of the same name.
        Assert.Equal("Const", PyArrayOps.Rank(x).Op.Type);
        Assert.Equal("Size", PyArrayOps.Size(x).Op.Type);
        Assert.Equal("Const", PyArrayOps.Shape(ConstOp.Create(F([2], 1, 2))).Op.Type);
    }

    [Fact]
    public void SliceForwardAndGradient()
    {
        var x = F([3, 4], 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Equal(F([2, 3], 5, 6, 7, 9, 10, 11), Run(_ => SliceOp.Create(ConstOp.Create(x), [1, 1], [2, -1])));
        Equal(I([1], 20), Run(_ => SliceOp.Create(ConstOp.Create(I([3], 10, 20, 30)), [1], [1])));
        var g = new Graph();
        using (g.AsDefault())
        {
            var t = SliceOp.Create(ConstOp.Create(x), [1, 1], [2, -1]);
            Assert.Equal(new Shape(2, 3), t.Shape);
            Assert.Equal(["Index", "T"], AttrNames(t));
            Assert.Equal("Slice/begin", t.Op.Inputs[1].Op.Name);
        }
        GradientCheck.Check(x => SliceOp.Create(x[0], [1, 0], [1, 3]), [GradientCheck.Random(1, 3, 4)]);
        GradientCheck.Check(x => SliceOp.Create(x[0], [0, 2], [-1, -1]), [GradientCheck.Random(2, 3, 4)]);
    }

    [Fact]
    public void PadForwardAndGradient()
    {
        Equal(F([3, 4], 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0),
            Run(g => PadOp.Create(ConstOp.Create(F([1, 2], 1, 2)), ConstOp.Create(I([2, 2], 1, 1, 1, 1)))));
        GradientCheck.Check(x => PadOp.Create(x[0], ConstOp.Create(I([2, 2], 0, 1, 2, 0))), [GradientCheck.Random(1, 2, 3)]);
    }

    [Fact]
    public void ConcatV2ForwardAttrsAndGradients()
    {
        var a = F([2, 2], 1, 2, 3, 4);
        var b = F([2, 1], 5, 6);
        Equal(F([2, 3], 1, 2, 5, 3, 4, 6), Run(_ => ConcatV2Op.Concat([ConstOp.Create(a), ConstOp.Create(b)], 1)));
        Equal(I([5], 1, 2, 3, 4, 5), Run(_ => ConcatV2Op.Concat([ConstOp.Create(I([2], 1, 2)), ConstOp.Create(I([3], 3, 4, 5))], 0)));
        Equal(F([4, 2], 1, 2, 3, 4, 1, 2, 3, 4), Run(_ => ConcatV2Op.Concat([ConstOp.Create(a), ConstOp.Create(a)], -2)));
        var g = new Graph();
        using (g.AsDefault())
        {
            var t = ConcatV2Op.Concat([ConstOp.Create(a), ConstOp.Create(b)], 1);
            Assert.Equal("concat", t.Op.Name);
            Assert.Equal("concat/axis", t.Op.Inputs[2].Op.Name);
            Assert.Equal(new Shape(2, 3), t.Shape);
            Assert.Equal(["N", "T", "Tidx"], AttrNames(t));
            Assert.Throws<ShapeMismatchException>(() => ConcatV2Op.Concat([ConstOp.Create(a), ConstOp.Create(b)], 0));
        }
        GradientCheck.Check(x => ConcatV2Op.Concat([x[0], x[1], x[0]], 1), [GradientCheck.Random(1, 2, 3), GradientCheck.Random(2, 2, 1)]);
        // Unknown batch: the input shapes come from one ShapeN.
        GradientCheck.Check(x => ConcatV2Op.Concat([x[0], x[1]], 1), [GradientCheck.Random(3, 2, 3), GradientCheck.Random(4, 2, 2)],
            placeholderShapes: [new Shape(-1, 3), new Shape(-1, 2)]);
    }

    [Fact]
    public void ConcatOffsetForward()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var offsets = ConcatOffsetOp.Create(ConstOp.Create(1), [ConstOp.Create(I([3], 2, 3, 5)), ConstOp.Create(I([3], 2, 7, 5))]);
        using var s = new Session(g);
        Equal(I([3], 0, 0, 0), s.Run(offsets[0])!);
        Equal(I([3], 0, 3, 0), s.Run(offsets[1])!);
    }

    [Fact]
    public void PackUnpackForwardAndGradients()
    {
        var a = F([2], 1, 2);
        var b = F([2], 3, 4);
        Equal(F([2, 2], 1, 2, 3, 4), Run(_ => PackOp.Stack([ConstOp.Create(a), ConstOp.Create(b)])));
        Equal(F([2, 2], 1, 3, 2, 4), Run(_ => PackOp.Stack([ConstOp.Create(a), ConstOp.Create(b)], axis: 1)));
        Equal(I([2], 7, 1), Run(_ => PackOp.Stack([ConstOp.Create(7), 1])));
        Equal(F([2], 2, 4), Run(_ => UnpackOp.Create(ConstOp.Create(F([2, 2], 1, 2, 3, 4)), 2, axis: 1)[1]));
        var g = new Graph();
        using (g.AsDefault())
        {
            var t = PackOp.Stack([ConstOp.Create(7), 1]);
            Assert.Equal("stack", t.Op.Name);
            Assert.Equal("stack/1", t.Op.Inputs[1].Op.Name);
            Assert.Equal(["N", "T", "axis"], AttrNames(t));
            var parts = UnpackOp.Create(ConstOp.Create(F([3, 2], 1, 2, 3, 4, 5, 6)), 3);
            Assert.Equal("unstack", parts[0].Op.Name);
            Assert.Equal(new Shape(2), parts[2].Shape);
            Assert.Equal(["T", "axis", "num"], AttrNames(parts[0]));
        }
        GradientCheck.Check(x => PackOp.Stack([x[0], x[1]], axis: 1), [GradientCheck.Random(1, 2, 3), GradientCheck.Random(2, 2, 3)]);
        GradientCheck.Check(x => UnpackOp.Create(x[0], 3, axis: 1)[1], [GradientCheck.Random(3, 2, 3)]);
    }

    [Fact]
    public void ExpandDimsAndSqueezeAreViewsWithGradients()
    {
        Equal(F([2, 1], 1, 2), Run(_ => ExpandDimsOp.Create(ConstOp.Create(F([2], 1, 2)), -1)));
        Equal(F([1, 2], 1, 2), Run(_ => ExpandDimsOp.Create(ConstOp.Create(F([2], 1, 2)), 0)));
        Equal(F([2], 1, 2), Run(_ => SqueezeOp.Create(ConstOp.Create(F([1, 2, 1], 1, 2)))));
        Equal(F([1, 2], 1, 2), Run(_ => SqueezeOp.Create(ConstOp.Create(F([1, 2, 1], 1, 2)), [2])));
        var g = new Graph();
        using (g.AsDefault())
        {
            var e = ExpandDimsOp.Create(ConstOp.Create(F([2], 1, 2)), 1);
            Assert.Equal("ExpandDims/dim", e.Op.Inputs[1].Op.Name);
            Assert.Equal(["T", "Tdim"], AttrNames(e));
            var q = SqueezeOp.Create(ConstOp.Create(F([1, 2, 1], 1, 2)));
            Assert.Equal(["T", "squeeze_dims"], AttrNames(q));
            Assert.Throws<ShapeMismatchException>(() => SqueezeOp.Create(ConstOp.Create(F([1, 2], 1, 2)), [1]));
        }
        GradientCheck.Check(x => ExpandDimsOp.Create(x[0], 1), [GradientCheck.Random(1, 2, 3)]);
        GradientCheck.Check(x => SqueezeOp.Create(x[0]), [GradientCheck.Random(2, 2, 1, 3)]);
    }

    [Fact]
    public void ViewsAreReusedAcrossRuns()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(2, 3), "x");
        var y = ExpandDimsOp.Create(SquareOp.Create(x), 0);
        using var s = new Session(g);
        var run = s.MakeCallable([y], [x]);
        var input = GradientCheck.Random(1, 2, 3);
        var first = run.Run(input)[0];
        var second = run.Run(input)[0];
        Assert.Same(first, second);
        Assert.Equal([1, 2, 3], second!.Shape);
    }

    [Fact]
    public void StopGradientPassesValuesAndBlocksGradients()
    {
        Equal(F([2], 1, 2), Run(_ => StopGradientOp.Create(ConstOp.Create(F([2], 1, 2)))));
        GradientCheck.Check(x => StopGradientOp.Create(x[0]), [GradientCheck.Random(1, 3)], differentiable: [false]);
        // d/dx of x * stop_gradient(x) is stop_gradient(x) = x, not 2x.
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(3), "x");
        var dx = Gradients.GradientsBuilder.Build([x * StopGradientOp.Create(x)], [x])[0]!;
        using var s = new Session(g);
        Equal(F([3], 1, -2, 3), s.Run(dx, (x, new[] { 1f, -2f, 3f }))!);
    }

    [Fact]
    public void DynamicStitchAndReducedShape()
    {
        Equal(I([4], 2, 1, 1, 7), Run(g => DynamicStitchOp.Create(
            [ConstOp.Create(I([4], 0, 1, 2, 3)), ConstOp.Create(I([2], 1, 2))],
            [ConstOp.Create(I([4], 2, 3, 5, 7)), ConstOp.Create(I([2], 1, 1))])));
        Equal(I([3], 4, 1, 1), Run(g => ReductionShapes.ReducedShape(ConstOp.Create(I([3], 4, 5, 6)), ConstOp.Create(I([2], -1, 1)))));
    }
}
