using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>tf.variable_scope and tf.get_variable: names, TF's initializer nodes, value statistics, reuse and errors.</summary>
public class VariableScopeTests
{
    private static string[] Class(Graph g, string name) =>
        g.GetOperationByName(name).Attrs.Get("_class").List.S.Select(b => b.ToStringUtf8()).ToArray();

    private static float[] Initial(Graph g, Variable v)
    {
        using var s = new Session(g);
        s.Run([v.Initializer]);
        return s.Run(v.Value)!.Floats.ToArray();
    }

    [Fact]
    public void GetVariableIsNamedByTheVariableScopeWithTfsInitializerNodes()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        Variable w;
        using (VariableScopes.Enter(g, "FC1"))
        {
            Assert.Equal("FC1", VariableScopes.Current(g).Name);
            w = VariableScopes.GetVariable("W", new Shape(784, 100), DType.Float, new TruncatedNormalInitializer(stddev: 0.1f, seed: 1));
            var h = w.Value * w.Value;
            Assert.Equal("FC1/mul", h.Op.Name);
        }
        Assert.Equal("FC1/W", w.Name);
        Assert.Equal(new Shape(784, 100), w.Shape);
        string p = "FC1/W/Initializer/truncated_normal";
        foreach (var (name, type) in new[] { ("/shape", "Const"), ("/mean", "Const"), ("/stddev", "Const"), ("/TruncatedNormal", "TruncatedNormal"),
                     ("/mul", "Mul"), ("", "Add") })
        {
            Assert.Equal(type, g.GetOperationByName(p + name).Type);
            Assert.Equal(["loc:@FC1/W"], Class(g, p + name));
        }
        Assert.Equal(["loc:@FC1/W"], Class(g, "FC1/W"));
        Assert.Equal("FC1/W/Initializer/truncated_normal", g.GetOperationByName("FC1/W/Assign").Inputs[1].Op.Name);
        Assert.Equal("Identity", g.GetOperationByName("FC1/W/read").Type);
        Assert.Contains(w, Variable.TrainableVariables(g));
        var values = Initial(g, w);
        Assert.All(values, v => Assert.InRange(v, -0.2f, 0.2f));
        double mean = values.Average(), sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.005, 0.005);
        // A normal truncated at two standard deviations keeps 0.88 of the spread.
        Assert.InRange(sd, 0.085, 0.091);
    }

    [Fact]
    public void NestedScopesReenteredNameScopesAndReuse()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        Variable first;
        using (VariableScopes.Enter(g, "model"))
        using (VariableScopes.Enter(g, "FC1"))
            first = VariableScopes.GetVariable("b", new Shape(3), DType.Float, new ZerosInitializer());
        Assert.Equal("model/FC1/b", first.Name);
        Assert.Equal("Const", g.GetOperationByName("model/FC1/b/Initializer/zeros").Type);
        using (VariableScopes.Enter(g, "model", reuse: true))
        {
            using (VariableScopes.Enter(g, "FC1"))
            {
                Assert.Same(first, VariableScopes.GetVariable("b", new Shape(3), DType.Float));
                // The name scope is the next free one, the variable scope the same.
                Assert.Equal("model_1/FC1/add", (first.Value + first.Value).Op.Name);
                var missing = Assert.Throws<ArgumentException>(() => VariableScopes.GetVariable("c", new Shape(3), DType.Float));
                Assert.Equal("Variable model/FC1/c does not exist, or was not created with tf.get_variable(). Did you mean to set " +
                    "reuse=tf.AUTO_REUSE in VarScope?", missing.Message);
                var shape = Assert.Throws<ArgumentException>(() => VariableScopes.GetVariable("b", new Shape(4), DType.Float));
                Assert.StartsWith("Trying to share variable model/FC1/b, but specified shape", shape.Message);
            }
        }
        using (VariableScopes.Enter(g, "model"))
        using (VariableScopes.Enter(g, "FC1"))
        {
            var error = Assert.Throws<ArgumentException>(() => VariableScopes.GetVariable("b", new Shape(3), DType.Float));
            Assert.Equal("Variable model/FC1/b already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
                error.Message);
        }
        using (VariableScopes.Enter(g, "model", VariableReuse.AutoReuse))
        using (VariableScopes.Enter(g, "FC1"))
        {
            Assert.Same(first, VariableScopes.GetVariable("b", new Shape(3), DType.Float));
            Assert.Equal("model/FC1/new", VariableScopes.GetVariable("new", new Shape(2), DType.Float, new OnesInitializer()).Name);
        }
        Assert.Equal("", VariableScopes.Current(g).Name);
        Assert.Equal(2, VariableScopes.Variables(g).Count);
        Assert.Throws<ArgumentException>(() => VariableScopes.GetVariable("unshaped", null, DType.Float));
    }

    [Fact]
    public void InitializersBuildTfsNodesAndValues()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var glorot = VariableScopes.GetVariable("glorot", new Shape(300, 100), DType.Float, new GlorotUniformInitializer(seed: 3));
        foreach (var name in new[] { "shape", "min", "max", "RandomUniform", "sub", "mul" })
            Assert.True(g.TryGetOperation("glorot/Initializer/random_uniform/" + name, out var _), name);
        float limit = MathF.Sqrt(6f / 400);
        Assert.Equal(limit, GlorotUniformInitializer.Limit(new Shape(300, 100)), 6);
        var values = Initial(g, glorot);
        Assert.All(values, v => Assert.InRange(v, -limit, limit));
        Assert.True(values.Max() > 0.95f * limit && values.Min() < -0.95f * limit);

        // The default initializer of a float variable is glorot_uniform, of an int one zeros.
        var byDefault = VariableScopes.GetVariable("d", new Shape(4, 6), DType.Float);
        Assert.Equal("RandomUniform", g.GetOperationByName("d/Initializer/random_uniform/RandomUniform").Type);
        Assert.All(Initial(g, byDefault), v => Assert.InRange(v, -MathF.Sqrt(0.6f), MathF.Sqrt(0.6f)));
        var counter = VariableScopes.GetVariable("n", new Shape(2), DType.Int32, trainable: false);
        Assert.Equal("Const", g.GetOperationByName("n/Initializer/zeros").Type);
        Assert.DoesNotContain(counter, Variable.TrainableVariables(g));

        var normal = VariableScopes.GetVariable("rn", new Shape(2000), DType.Float, new RandomNormalInitializer(1f, 2f, seed: 5));
        Assert.Equal("RandomStandardNormal", g.GetOperationByName("rn/Initializer/random_normal/RandomStandardNormal").Type);
        var nv = Initial(g, normal);
        Assert.InRange(nv.Average(), 0.8, 1.2);
        Assert.Contains(nv, v => Math.Abs(v - 1) > 4);
        var uniform = VariableScopes.GetVariable("ru", new Shape(500), DType.Float, new RandomUniformInitializer(2f, 3f, seed: 6));
        Assert.All(Initial(g, uniform), v => Assert.InRange(v, 2f, 3f));
        var constant = VariableScopes.GetVariable("c", new Shape(2, 2), DType.Float, new ConstantInitializer(0.1f));
        Assert.Equal("Const", g.GetOperationByName("c/Initializer/Const").Type);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.1f], Initial(g, constant));
        var ones = VariableScopes.GetVariable("o", new Shape(50, 50), DType.Float, new OnesInitializer());
        Assert.Equal("Fill", g.GetOperationByName("o/Initializer/ones").Type);
        Assert.All(Initial(g, ones), v => Assert.Equal(1f, v));

        // From a tensor: the value as given, no Initializer scope.
        var fromTensor = VariableScopes.GetVariable("t", ConstOp.Create(new NDArray(DType.Float, [2], new[] { 4f, 5f }), "init"));
        Assert.Equal("t", fromTensor.Name);
        Assert.Equal("init", g.GetOperationByName("t/Assign").Inputs[1].Op.Name);
        Assert.Equal([4f, 5f], Initial(g, fromTensor));
    }

    [Fact]
    public void FansFollowTf()
    {
        Assert.Equal((1.0, 1.0), GlorotUniformInitializer.Fans([]));
        Assert.Equal((7.0, 7.0), GlorotUniformInitializer.Fans([7]));
        Assert.Equal((3.0, 5.0), GlorotUniformInitializer.Fans([3, 5]));
        Assert.Equal((5 * 5 * 3.0, 5 * 5 * 32.0), GlorotUniformInitializer.Fans([5, 5, 3, 32]));
    }
}
