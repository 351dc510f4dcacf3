using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Gradients;
using TfMnist.Ops;
using TfMnist.Runtime;
using static TfMnist.Tests.Ops.OpTestUtil;

namespace TfMnist.Tests.Ops;

/// <summary>Log, Log1p, Reciprocal, Tanh, Sigmoid, Abs, Sign, Less/Greater/LessEqual, Minimum: values, TF's gradients and nodes.</summary>
public class ActivationOpsTests
{
    private static NDArray Away(int seed, params int[] shape)
    {
        var a = GradientCheck.Random(seed, shape);
        for (int i = 0; i < a.Size; i++) a.Floats[i] = MathF.CopySign(0.2f + MathF.Abs(a.Floats[i]), a.Floats[i]);
        return a;
    }

    [Fact]
    public void UnaryForwardValues()
    {
        var x = F([5], -2, -0.5f, 0, 0.5f, 3);
        Equal(F([5], x.Floats.ToArray().Select(v => MathF.Tanh(v)).ToArray()), Run(_ => TanhOp.Create(ConstOp.Create(x))));
        Equal(F([5], x.Floats.ToArray().Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray()), Run(_ => SigmoidOp.Create(ConstOp.Create(x))));
        Equal(F([5], 2, 0.5f, 0, 0.5f, 3), Run(_ => AbsOp.Create(ConstOp.Create(x))));
        Equal(F([5], -1, -1, 0, 1, 1), Run(_ => SignOp.Create(ConstOp.Create(x))));
        Equal(I([3], 4, 0, int.MinValue), Run(_ => AbsOp.Create(ConstOp.Create(I([3], -4, 0, int.MinValue)))));
        Equal(L([3], -1, 0, 1), Run(_ => SignOp.Create(ConstOp.Create(L([3], -9, 0, 7)))));
        Equal(F([3], 0, 1, MathF.Log(10)), Run(_ => LogOp.Create(ConstOp.Create(F([3], 1, MathF.E, 10)))));
        Equal(F([3], 0.5f, -0.25f, 1), Run(_ => ReciprocalOp.Create(ConstOp.Create(F([3], 2, -4, 1)))));
        Equal(F([2], MathF.Log(2), (float)Math.Log(1.5)), Run(_ => Log1pOp.Create(ConstOp.Create(F([2], 1, 0.5f)))));
    }

    [Fact]
    public void ExtremesFollowTf()
    {
        var r = Run(_ => SigmoidOp.Create(ConstOp.Create(F([4], -1000, 1000, float.NegativeInfinity, float.NaN))));
        Assert.Equal([0f, 1f, 0f], r.Floats[..3].ToArray());
        Assert.True(float.IsNaN(r.Floats[3]));
        var log = Run(_ => LogOp.Create(ConstOp.Create(F([3], 0, -1, float.PositiveInfinity))));
        Assert.Equal(float.NegativeInfinity, log.Floats[0]);
        Assert.True(float.IsNaN(log.Floats[1]));
        Assert.Equal(float.PositiveInfinity, log.Floats[2]);
        // log1p keeps the small values a plain log(1 + x) would round away.
        var small = Run(_ => Log1pOp.Create(ConstOp.Create(F([4], 1e-10f, -1e-7f, -1, float.PositiveInfinity))));
        Assert.Equal(1e-10f, small.Floats[0]);
        Assert.Equal((float)(-1e-7 - 0.5e-14), small.Floats[1], 1e-13f);
        Assert.Equal(float.NegativeInfinity, small.Floats[2]);
        Assert.Equal(float.PositiveInfinity, small.Floats[3]);
        Assert.True(float.IsNaN(Run(_ => SignOp.Create(ConstOp.Create(F([1], float.NaN)))).Floats[0]));
    }

    [Fact]
    public void Gradients()
    {
        GradientCheck.Check(x => LogOp.Create(x[0]), [Positive(1, 2, 3)]);
        GradientCheck.Check(x => Log1pOp.Create(x[0]), [Positive(2, 2, 3)]);
        GradientCheck.Check(x => ReciprocalOp.Create(x[0]), [Positive(3, 4)]);
        GradientCheck.Check(x => TanhOp.Create(x[0]), [GradientCheck.Random(4, 2, 3)]);
        GradientCheck.Check(x => SigmoidOp.Create(x[0]), [GradientCheck.Random(5, 2, 3)]);
        GradientCheck.Check(x => AbsOp.Create(x[0]), [Away(6, 2, 3)]);
        GradientCheck.Check(x => SignOp.Create(x[0]), [Away(7, 5)]);
        GradientCheck.Check(x => MinimumOp.Create(x[0], x[1]), [GradientCheck.Random(8, 2, 3), GradientCheck.Random(9, 3)]);
        GradientCheck.Check(x => MinimumOp.Create(x[0], x[1]), [GradientCheck.Random(10, 4), GradientCheck.Random(11, 4)]);
    }

    [Fact]
    public void SecondOrderGradients()
    {
        GradientCheck.Check(x => TanhGradOp.Create(x[0], x[1]), [GradientCheck.Random(1, 4), GradientCheck.Random(2, 4)]);
        GradientCheck.Check(x => SigmoidGradOp.Create(x[0], x[1]), [GradientCheck.Random(3, 4), GradientCheck.Random(4, 4)]);
        GradientCheck.Check(x => ReciprocalGradOp.Create(x[0], x[1]), [GradientCheck.Random(5, 4), GradientCheck.Random(6, 4)]);
        GradientCheck.Check(x => GradientsBuilder.Build([TanhOp.Create(x[0])], [x[0]])[0]!, [GradientCheck.Random(7, 3)]);
        GradientCheck.Check(x => GradientsBuilder.Build([LogOp.Create(x[0])], [x[0]])[0]!, [Positive(8, 3)]);
    }

    [Fact]
    public void GradientNodesAreTfs()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var x = PlaceholderOp.Create(DType.Float, new Shape(3), "x");
        GradientsBuilder.Build([LogOp.Create(x)], [x]);
        Assert.Equal("gradients/Fill", g.GetOperationByName("gradients/Log_grad/Reciprocal").ControlInputs.Single().Name);
        Assert.Empty(g.GetOperationByName("gradients/Log_grad/mul").ControlInputs);
        GradientsBuilder.Build([Log1pOp.Create(x)], [x]);
        Assert.Single(g.GetOperationByName("gradients_1/Log1p_grad/add/x").ControlInputs);
        Assert.Empty(g.GetOperationByName("gradients_1/Log1p_grad/add").ControlInputs);
        Assert.Equal("Reciprocal", g.GetOperationByName("gradients_1/Log1p_grad/Reciprocal").Type);
        GradientsBuilder.Build([TanhOp.Create(x)], [x]);
        Assert.Equal("TanhGrad", g.GetOperationByName("gradients_2/Tanh_grad/TanhGrad").Type);
        GradientsBuilder.Build([SigmoidOp.Create(x)], [x]);
        Assert.Equal("SigmoidGrad", g.GetOperationByName("gradients_3/Sigmoid_grad/SigmoidGrad").Type);
        GradientsBuilder.Build([AbsOp.Create(x)], [x]);
        Assert.Equal("Sign", g.GetOperationByName("gradients_4/Abs_grad/Sign").Type);
        Assert.Equal("Mul", g.GetOperationByName("gradients_4/Abs_grad/mul").Type);
        GradientsBuilder.Build([MinimumOp.Create(x, x)], [x]);
        Assert.Equal("LessEqual", g.GetOperationByName("gradients_5/Minimum_grad/LessEqual").Type);
    }

    [Fact]
    public void ComparisonsBroadcastAndAreNotDifferentiable()
    {
        var a = F([2, 2], 1, 2, 3, 4);
        var b = F([2], 2, 3);
        Equal(B([2, 2], true, true, false, false), Run(_ => LessOp.Create(ConstOp.Create(a), ConstOp.Create(b))));
        Equal(B([2, 2], false, false, true, true), Run(_ => GreaterOp.Create(ConstOp.Create(a), ConstOp.Create(b))));
        Equal(B([2, 2], true, true, false, false), Run(_ => LessEqualOp.Create(ConstOp.Create(a), ConstOp.Create(b))));
        Equal(B([3], false, true, false), Run(_ => LessEqualOp.Create(ConstOp.Create(I([3], 3, 2, 5)), ConstOp.Create(I([], 2)))));
        Equal(B([2], false, true), Run(_ => GreaterOp.Create(ConstOp.Create(L([2], 1, 3)), ConstOp.Create(L([2], 1, 2)))));
        Equal(F([2, 2], 1, 2, 2, 3), Run(_ => MinimumOp.Create(ConstOp.Create(a), ConstOp.Create(b))));
        Equal(I([2], 1, -3), Run(_ => MinimumOp.Create(ConstOp.Create(I([2], 1, 5)), ConstOp.Create(I([2], 2, -3)))));
        foreach (var type in new[] { "Less", "Greater", "LessEqual", "AssignAdd" })
            Assert.True(OpRegistry.Lookup(type)!.IsNotDifferentiable, type);
        // The gradient flows through a Select that a comparison drives, never into the comparison.
        GradientCheck.Check(x => SelectOp.Create(LessOp.Create(x[0], x[1]), x[0], x[1]), [GradientCheck.Random(12, 5), GradientCheck.Random(13, 5)]);
    }

    [Fact]
    public void OpTypesAreRegisteredWithTheirGradients()
    {
        foreach (var type in new[] { "Log", "Log1p", "Reciprocal", "ReciprocalGrad", "Tanh", "TanhGrad", "Sigmoid", "SigmoidGrad", "Abs",
                     "Sign", "Minimum", "Pow" })
            Assert.NotNull(OpRegistry.Lookup(type)!.Gradient);
    }

    [Fact]
    public void PowForwardGradientAndNodes()
    {
        Equal(F([4], 8, 0.5f, 1, 9), Run(_ => PowOp.Create(ConstOp.Create(F([4], 2, 4, 7, -3)), ConstOp.Create(F([4], 3, -0.5f, 0, 2)))));
        Assert.True(float.IsNaN(Run(_ => PowOp.Create(ConstOp.Create(F([1], -2)), ConstOp.Create(F([1], 0.5f)))).Floats[0]));
        Equal(I([3], 1, -8, 1024), Run(_ => PowOp.Create(ConstOp.Create(I([3], 5, -2, 2)), ConstOp.Create(I([3], 0, 3, 10)))));
        Equal(L([2], 81, 1), Run(_ => PowOp.Create(ConstOp.Create(L([2], 3, 1)), ConstOp.Create(L([], 4)))));
        var error = Assert.Throws<InvalidArgumentException>(() => Run(_ => PowOp.Create(ConstOp.Create(I([1], 2)), ConstOp.Create(I([1], -1)))));
        Assert.Equal("Integers to negative integer powers are not allowed", error.Message);
        // 33 elements: the vector body and the scalar tail give the same bits.
        var x = Positive(20, 33);
        var y = GradientCheck.Random(21, 33);
        var r = Run(_ => PowOp.Create(ConstOp.Create(x), ConstOp.Create(y)));
        for (int i = 0; i < 33; i++) Assert.Equal(MathF.Pow(x.Floats[i], y.Floats[i]), r.Floats[i]);

        GradientCheck.Check(t => PowOp.Create(t[0], t[1]), [Positive(22, 2, 3), GradientCheck.Random(23, 2, 3)]);
        GradientCheck.Check(t => PowOp.Create(t[0], t[1]), [Positive(24, 2, 3), GradientCheck.Random(25, 3)]);
        var g = new Graph();
        using var _ = g.AsDefault();
        var a = PlaceholderOp.Create(DType.Float, new Shape(3), "a");
        var b = PlaceholderOp.Create(DType.Float, new Shape(3), "b");
        GradientsBuilder.Build([PowOp.Create(a, b)], [a, b]);
        foreach (var (name, type) in new[] { ("BroadcastGradientArgs", "BroadcastGradientArgs"), ("mul", "Mul"), ("sub", "Sub"), ("sub/y", "Const"),
                     ("Pow", "Pow"), ("mul_1", "Mul"), ("Sum", "Sum"), ("Reshape", "Reshape"), ("Greater", "Greater"), ("Greater/y", "Const"),
                     ("Log", "Log"), ("zeros_like", "Const"), ("Select", "Select"), ("mul_2", "Mul"), ("mul_3", "Mul"), ("Sum_1", "Sum"),
                     ("Reshape_1", "Reshape") })
            Assert.Equal(type, g.GetOperationByName("gradients/Pow_grad/" + name).Type);
    }

    [Fact]
    public void AssignAddAddsInPlace()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var v = new Variable(I([2], 1, 2), "v");
        var add = AssignAddOp.Create(v.Ref, ConstOp.Create(I([2], 10, 20)));
        Assert.Equal("loc:@v", g.GetOperationByName("AssignAdd").Attrs.Values["_class"].List.S[0].ToStringUtf8());
        using var s = new Session(g);
        s.Run([v.Initializer]);
        s.Run([add.Op]);
        Equal(I([2], 21, 42), s.Run(add)!);
        Assert.ThrowsAny<Exception>(() => AssignAddOp.Create(v.Ref, ConstOp.Create(F([2], 1, 2))));
    }
}
