using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

public class StateOpsTests
{
    private static string[] ClassAttr(Operation op) =>
        op.Attrs.Get("_class").List.S.Select(b => b.ToStringUtf8()).ToArray();

    [Fact]
    public void VariableNodesAndAttrsMatchTensorFlow1()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[] { 1, 2, 3 });
        var w = new Variable(new float[,] { { 1, 2 } }, trainable: false);

        Assert.Equal("Variable", v.Name);
        Assert.Equal("VariableV2", v.Op.Type);
        Assert.True(v.Ref.IsRef);
        Assert.Equal("Variable:0", v.Ref.Name);
        Assert.Equal(new Shape(3), v.Shape);
        Assert.Equal("Variable/initial_value", v.InitialValue.Op.Name);
        Assert.Equal("Variable/Assign", v.Initializer.Name);
        Assert.Equal("Variable/read", v.Value.Op.Name);
        Assert.False(v.Value.IsRef);
        Assert.Equal("Variable_1", w.Name);
        Assert.Equal("Variable_1/Assign", w.Initializer.Name);
        Assert.Equal("Variable_1/read", w.Value.Op.Name);

        var attrs = v.Op.Attrs;
        Assert.Equal(["container", "dtype", "shape", "shared_name"], attrs.Values.Keys.ToArray());
        Assert.Equal(DType.Float, attrs.GetType("dtype"));
        Assert.Equal(new Shape(3), attrs.GetShape("shape"));
        Assert.Equal("", attrs.GetString("container"));
        Assert.Equal("", attrs.GetString("shared_name"));

        var assign = v.Initializer;
        Assert.Equal(["T", "_class", "use_locking", "validate_shape"], assign.Attrs.Values.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());
        Assert.Equal(["loc:@Variable"], ClassAttr(assign));
        Assert.True(assign.Attrs.GetBool("use_locking"));
        Assert.True(assign.Attrs.GetBool("validate_shape"));
        Assert.Equal(DType.Float, assign.Attrs.GetType("T"));
        Assert.Equal(["Variable", "Variable/initial_value"], assign.ToNodeDef().Input.ToArray());
        Assert.True(assign.Outputs[0].IsRef);

        var read = v.Value.Op;
        Assert.Equal("Identity", read.Type);
        Assert.Equal(["loc:@Variable"], ClassAttr(read));
        Assert.Equal(["Variable"], read.ToNodeDef().Input.ToArray());
        Assert.Equal(["loc:@Variable_1"], ClassAttr(w.Value.Op));

        Assert.Equal([v, w], Variable.GlobalVariables(g));
        Assert.Equal([v], Variable.TrainableVariables(g));

        var init = Variable.GlobalVariablesInitializer(g);
        Assert.Equal("init", init.Name);
        Assert.Equal("NoOp", init.Type);
        Assert.Equal(["^Variable/Assign", "^Variable_1/Assign"], init.ToNodeDef().Input.ToArray());
    }

    [Fact]
    public void VariableFromATensorTakesItAsItIs()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var initial = RandomOps.RandomNormal([3, 2], stddev: 0.1f, seed: 1);
        var v = new Variable(initial, name: "weights");
        Assert.Equal("weights", v.Name);
        Assert.Same(initial, v.InitialValue);
        Assert.Equal(new Shape(3, 2), v.Shape);
        Assert.False(g.TryGetOperation("weights/initial_value", out _));
        using var s = new Session(g);
        s.Run(Variable.GlobalVariablesInitializer(g));
        Assert.Equal(6, s.Run(v.Value)!.Size);
    }

    [Fact]
    public void InitializeReadAndAssign()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[] { 1, 2, 3 });
        var init = Variable.GlobalVariablesInitializer(g);
        var assign = AssignOp.Create(v.Ref, ConstOp.Create(new[] { 5f, 6f, 7f }));
        Assert.Equal("Assign", assign.Op.Name);
        Assert.Equal(["loc:@Variable"], ClassAttr(assign.Op));

        using var s = new Session(g);
        s.Run(init);
        Assert.Equal(new[] { 1f, 2f, 3f }, s.Run(v.Value)!.Floats.ToArray());
        var storage = s.GetVariable(v.Op)!;

        Assert.Equal(new[] { 5f, 6f, 7f }, s.Run(assign)!.Floats.ToArray());
        Assert.Equal(new[] { 5f, 6f, 7f }, s.Run(v.Value)!.Floats.ToArray());
        // Same shape: copied into the existing buffer, so earlier views stay valid.
        Assert.Same(storage, s.GetVariable(v.Op));
        Assert.Equal(new[] { 5f, 6f, 7f }, storage.Floats.ToArray());

        // Re-running the initializer restores the initial value (into the same buffer).
        s.Run(init);
        Assert.Equal(new[] { 1f, 2f, 3f }, s.Run(v.Value)!.Floats.ToArray());
        Assert.Same(storage, s.GetVariable(v.Op));

        // A fetched value is a copy: mutating it does not touch the variable.
        var fetched = s.Run(v.Value)!;
        fetched.Floats[0] = 100f;
        Assert.Equal(1f, s.Run(v.Value)!.Floats[0]);
    }

    [Fact]
    public void AssignValidatesShapesAndCanReshapeWithoutValidation()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[] { 1, 2, 3 });
        var e = Assert.Throws<ShapeMismatchException>(() => AssignOp.Create(v.Ref, ConstOp.Create(new[] { 1f, 2f })));
        Assert.Contains("'Variable'", e.Message);

        var reshape = AssignOp.Create(v.Ref, ConstOp.Create(new float[,] { { 1, 2 }, { 3, 4 } }), validateShape: false);
        Assert.False(reshape.Op.Attrs.GetBool("validate_shape"));
        Assert.Equal(new Shape(2, 2), reshape.Shape);
        var value = PlaceholderOp.Create(DType.Float, Shape.Unknown, "value");
        var checkedAssign = AssignOp.Create(v.Ref, value);
        using var s = new Session(g);
        s.Run(Variable.GlobalVariablesInitializer(g));
        var runError = Assert.Throws<InvalidArgumentException>(() => s.Run(checkedAssign, (value, new[] { 1f, 2f })));
        Assert.Contains("'Variable'", runError.Message);
        s.Run(reshape);
        var read = s.Run(v.Value)!;
        Assert.Equal(new[] { 2, 2 }, read.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, read.Floats.ToArray());
    }

    [Fact]
    public void ReadingAnUninitializedVariableNamesIt()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[] { 1, 2 }, name: "weights");
        using var s = new Session(g);
        var e = Assert.Throws<FailedPreconditionException>(() => s.Run(v.Value));
        Assert.Contains("Attempting to use uninitialized value weights", e.Message);

        var apply = ApplyGradientDescentOp.Create(v.Ref, ConstOp.Scalar(g, 0.1f, DType.Float), ConstOp.Create(new[] { 1f, 1f }));
        var e2 = Assert.Throws<FailedPreconditionException>(() => s.Run(apply));
        Assert.Contains("Attempting to use uninitialized value weights", e2.Message);
    }

    [Fact]
    public void ApplyGradientDescentUpdatesInPlace()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[,] { { 1, 2 }, { 3, 4 } });
        var alpha = ConstOp.Scalar(g, 0.5f, DType.Float, "learning_rate");
        var delta = PlaceholderOp.Create(DType.Float, new Shape(2, 2), "delta");
        var apply = ApplyGradientDescentOp.Create(v.Ref, alpha, delta);
        Assert.Equal("ApplyGradientDescent", apply.Op.Name);
        Assert.True(apply.IsRef);
        Assert.Equal(["loc:@Variable"], ClassAttr(apply.Op));
        Assert.False(apply.Op.Attrs.GetBool("use_locking"));
        Assert.Equal(DType.Float, apply.Op.Attrs.GetType("T"));
        Assert.Equal(["T", "_class", "use_locking"], apply.Op.Attrs.Values.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());

        using var s = new Session(g);
        s.Run(Variable.GlobalVariablesInitializer(g));
        var storage = s.GetVariable(v.Op)!;
        // 1 - 0.5*2 = 0, 2 - 0.5*(-2) = 3, 3 - 0.5*1 = 2.5, 4 - 0.5*8 = 0.
        var feed = new float[,] { { 2, -2 }, { 1, 8 } };
        Assert.Equal(new[] { 0f, 3f, 2.5f, 0f }, s.Run(apply, (delta, feed))!.Floats.ToArray());
        Assert.Same(storage, s.GetVariable(v.Op));
        Assert.Equal(new[] { 0f, 3f, 2.5f, 0f }, storage.Floats.ToArray());
        s.Run(apply.Op, (delta, feed));
        Assert.Equal(new[] { -1f, 4f, 2f, -4f }, s.Run(v.Value)!.Floats.ToArray());

        Assert.Throws<ShapeMismatchException>(() => ApplyGradientDescentOp.Create(v.Ref, alpha, ConstOp.Create(new[] { 1f, 2f })));
        Assert.Throws<ShapeMismatchException>(() => ApplyGradientDescentOp.Create(v.Value, alpha, delta));
    }

    [Fact]
    public void VariablesLiveInTheSessionNotTheGraph()
    {
        var g = new Graph();
        using var asDefault = g.AsDefault();
        var v = new Variable(new float[] { 1 });
        var apply = ApplyGradientDescentOp.Create(v.Ref, ConstOp.Scalar(g, 1f, DType.Float), ConstOp.Create(new[] { 1f }));
        using var a = new Session(g);
        using var b = new Session(g);
        a.Run(Variable.GlobalVariablesInitializer(g));
        b.Run(Variable.GlobalVariablesInitializer(g));
        a.Run(apply.Op);
        Assert.Equal(0f, a.Run(v.Value)!.Floats[0]);
        Assert.Equal(1f, b.Run(v.Value)!.Floats[0]);
    }
}
