using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>
/// ApplyAdam and ApplyMomentum against TF's documented update formulas, computed by hand in double
/// for two steps (the second starts from the first's slots), with and without Nesterov.
/// </summary>
public class TrainingOpsTests
{
    private static readonly float[] Start = [1f, -2f, 0.5f, 3f];
    private static readonly float[][] Grads = [[0.1f, -0.4f, 2f, 0f], [-0.3f, 0.2f, 1.5f, -1f]];

    private static string[] ClassAttr(Operation op) => op.Attrs.Get("_class").List.S.Select(b => b.ToStringUtf8()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ApplyAdamFollowsTheDocumentedUpdate(bool nesterov)
    {
        const double lr = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(Start.ToArray(), name: "w");
        var m = new Variable(new float[4], name: "w/Adam");
        var s2 = new Variable(new float[4], name: "w/Adam_1");
        var beta1Power = PlaceholderOp.Create(DType.Float, Shape.Scalar, "beta1_power");
        var beta2Power = PlaceholderOp.Create(DType.Float, Shape.Scalar, "beta2_power");
        var grad = PlaceholderOp.Create(DType.Float, new Shape(4), "grad");
        var apply = ApplyAdamOp.Create(v.Ref, m.Ref, s2.Ref, beta1Power, beta2Power,
            ConstOp.Scalar(g, (float)lr, DType.Float, "lr"), ConstOp.Scalar(g, (float)beta1, DType.Float, "beta1"),
            ConstOp.Scalar(g, (float)beta2, DType.Float, "beta2"), ConstOp.Scalar(g, (float)epsilon, DType.Float, "epsilon"),
            grad, useNesterov: nesterov, name: "update_w/ApplyAdam");
        Assert.True(apply.IsRef);
        Assert.Equal(["loc:@w"], ClassAttr(apply.Op));
        Assert.Equal(["T", "_class", "use_locking", "use_nesterov"], apply.Op.Attrs.Values.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());

        var (w, mh, vh) = (Start.Select(x => (double)x).ToArray(), new double[4], new double[4]);
        using var s = new Session(g);
        s.Run(Variable.GlobalVariablesInitializer(g));
        for (int t = 1; t <= 2; t++)
        {
            var gt = Grads[t - 1];
            double b1p = Math.Pow(beta1, t), b2p = Math.Pow(beta2, t);
            double lrT = lr * Math.Sqrt(1 - b2p) / (1 - b1p);
            for (int i = 0; i < 4; i++)
            {
                mh[i] = beta1 * mh[i] + (1 - beta1) * gt[i];
                vh[i] = beta2 * vh[i] + (1 - beta2) * gt[i] * gt[i];
                double step = nesterov ? beta1 * mh[i] + (1 - beta1) * gt[i] : mh[i];
                w[i] -= lrT * step / (Math.Sqrt(vh[i]) + epsilon);
            }
            var result = s.Run(apply, (beta1Power, (float)b1p), (beta2Power, (float)b2p), (grad, gt))!;
            AssertClose(w, result.Floats.ToArray(), $"var after step {t}");
            AssertClose(mh, s.Run(m.Value)!.Floats.ToArray(), $"m after step {t}");
            AssertClose(vh, s.Run(s2.Value)!.Floats.ToArray(), $"v after step {t}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ApplyMomentumFollowsTheDocumentedUpdate(bool nesterov)
    {
        const double lr = 0.1, momentum = 0.9;
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(Start.ToArray(), name: "w");
        var accum = new Variable(new float[4], name: "w/Momentum");
        var grad = PlaceholderOp.Create(DType.Float, new Shape(4), "grad");
        var apply = ApplyMomentumOp.Create(v.Ref, accum.Ref, ConstOp.Scalar(g, (float)lr, DType.Float, "lr"), grad,
            ConstOp.Scalar(g, (float)momentum, DType.Float, "momentum"), useNesterov: nesterov);
        Assert.Equal(["loc:@w"], ClassAttr(apply.Op));

        var (w, a) = (Start.Select(x => (double)x).ToArray(), new double[4]);
        using var s = new Session(g);
        s.Run(Variable.GlobalVariablesInitializer(g));
        foreach (var gt in Grads)
        {
            for (int i = 0; i < 4; i++)
            {
                a[i] = a[i] * momentum + gt[i];
                w[i] -= nesterov ? lr * gt[i] + lr * momentum * a[i] : lr * a[i];
            }
            AssertClose(w, s.Run(apply, (grad, gt))!.Floats.ToArray(), "var");
            AssertClose(a, s.Run(accum.Value)!.Floats.ToArray(), "accum");
        }
    }

    [Fact]
    public void TrainingOpsCheckRefsShapesAndScalars()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[4], name: "w");
        var accum = new Variable(new float[4], name: "w/Momentum");
        var wrong = new Variable(new float[3], name: "x/Momentum");
        var lr = ConstOp.Scalar(g, 0.1f, DType.Float, "lr");
        var grad = ConstOp.Create(new float[4]);
        var e = Assert.Throws<ShapeMismatchException>(() => ApplyMomentumOp.Create(v.Ref, wrong.Ref, lr, grad, lr));
        Assert.Contains("'accum' ('x/Momentum') has shape", e.Message);
        Assert.Throws<ShapeMismatchException>(() => ApplyMomentumOp.Create(v.Ref, accum.Value, lr, grad, lr));
        Assert.Throws<ShapeMismatchException>(() => ApplyMomentumOp.Create(v.Ref, accum.Ref, grad, grad, lr));
        Assert.Throws<ShapeMismatchException>(() => ApplyAdamOp.Create(v.Ref, accum.Ref, accum.Ref, lr, lr, lr, lr, lr, lr, ConstOp.Create(new float[2])));

        // Slots read elsewhere in the run are read before the update writes them.
        // (A computed value, not an Identity: an Identity of a variable is its storage, fetched after the run.)
        var before = MulOp.Create(accum.Value, ConstOp.Scalar(g, 2f, DType.Float), "accum_before");
        var apply = ApplyMomentumOp.Create(v.Ref, accum.Ref, lr, ConstOp.Create(new float[] { 1, 1, 1, 1 }), lr);
        using var s = new Session(g);
        var plan = s.GetPlan([before], [], [apply.Op]);
        int reader = Array.IndexOf(plan.Steps, before.Op), writer = Array.IndexOf(plan.Steps, apply.Op);
        Assert.True(reader >= 0 && writer >= 0);
        Assert.Contains(writer, plan.Successors[reader]);
        s.Run(Variable.GlobalVariablesInitializer(g));
        for (int run = 0; run < 3; run++)
        {
            var seen = s.Run([before, apply.Op]);
            Assert.Equal(run == 0 ? 0f : run == 1 ? 2f : 2.2f, seen[0]!.Floats[0], 5);
        }
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
