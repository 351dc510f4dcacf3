using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;
using TfMnist.Saving;
using TfMnist.Tests.Checkpoint;
using TfMnist.Train;

namespace TfMnist.Tests.Optimizers;

/// <summary>AdamOptimizer: TF's update in float64 by hand, TF 1.x's node names and checkpoint keys, save and restore.</summary>
public class AdamOptimizerTests
{
    private static readonly float[] Start = [1f, -2f, 0.5f, 3f];
    private static readonly float[] X = [0.3f, -1.2f, 2f, 0.05f];

    private static string[] Class(Graph g, string name) =>
        g.GetOperationByName(name).Attrs.Get("_class").List.S.Select(b => b.ToStringUtf8()).ToArray();

    /// <summary>loss = sum(W·X + W²/2), so dL/dW = X + W; W is [2, 2], b a [2] bias with loss sum(b).</summary>
    private static (Graph Graph, Variable W, Variable B, Tensor Loss) Problem()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var w = new Variable(new NDArray(DType.Float, [2, 2], Start.ToArray()), "W");
        var b = new Variable(new NDArray(DType.Float, [2], new[] { 0.5f, -0.5f }), "b");
        var x = ConstOp.Create(new NDArray(DType.Float, [2, 2], X.ToArray()), "X");
        var half = ConstOp.Scalar(g, 0.5f, DType.Float, "half");
        var loss = SumOp.Create(ReshapeOp.Create(w.Value * x + SquareOp.Create(w.Value) * half, [-1]), [0])
            + SumOp.Create(b.Value, [0]);
        return (g, w, b, loss);
    }

    [Fact]
    public void TwoStepsMatchAFloat64HandComputation()
    {
        const double lr = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var (g, w, _, loss) = Problem();
        var train = new AdamOptimizer((float)lr).Minimize(loss);
        foreach (var options in new[] { SessionOptions.Reference, new SessionOptions() })
        {
            using var s = new Session(g, options);
            s.Run([Variable.GlobalVariablesInitializer(g)]);
            double[] wv = Start.Select(v => (double)v).ToArray(), m = new double[4], v2 = new double[4];
            double p1 = beta1, p2 = beta2;
            for (int step = 0; step < 3; step++)
            {
                s.Run([train]);
                double alpha = lr * Math.Sqrt(1 - p2) / (1 - p1);
                for (int i = 0; i < 4; i++)
                {
                    double grad = X[i] + wv[i];
                    m[i] = beta1 * m[i] + (1 - beta1) * grad;
                    v2[i] = beta2 * v2[i] + (1 - beta2) * grad * grad;
                    wv[i] -= alpha * m[i] / (Math.Sqrt(v2[i]) + epsilon);
                }
                p1 *= beta1;
                p2 *= beta2;
                var actual = s.Run(w.Value)!.Floats.ToArray();
                for (int i = 0; i < 4; i++) Assert.True(Math.Abs(actual[i] - wv[i]) < 2e-6, $"step {step} W[{i}]: {actual[i]} vs {wv[i]}");
                var slotM = s.Run("W/Adam:0")!.Floats.ToArray();
                for (int i = 0; i < 4; i++) Assert.Equal(m[i], slotM[i], 5);
                Assert.Equal(p1, s.Run("beta1_power:0")!.Floats[0], 6);
                Assert.Equal(p2, s.Run("beta2_power:0")!.Floats[0], 6);
            }
        }
    }

    [Fact]
    public void BuildsTfsNodes()
    {
        var (g, w, b, loss) = Problem();
        var optimizer = new AdamOptimizer();
        var train = optimizer.Minimize(loss);
        Assert.Equal("Adam", train.Name);
        Assert.Equal("NoOp", train.Type);
        Assert.Equal(["Adam/Assign", "Adam/Assign_1", "Adam/update_W/ApplyAdam", "Adam/update_b/ApplyAdam"], train.ControlInputs.Select(o => o.Name));
        foreach (var (name, type) in new[] { ("beta1_power", "VariableV2"), ("beta1_power/initial_value", "Const"), ("beta2_power/read", "Identity"),
                     ("W/Adam", "VariableV2"), ("W/Adam/Initializer/zeros", "Const"), ("W/Adam/Assign", "Assign"), ("W/Adam/read", "Identity"),
                     ("W/Adam_1", "VariableV2"), ("b/Adam", "VariableV2"), ("b/Adam_1/Initializer/zeros", "Const"),
                     ("Adam/learning_rate", "Const"), ("Adam/beta1", "Const"), ("Adam/beta2", "Const"), ("Adam/epsilon", "Const"),
                     ("Adam/update_W/ApplyAdam", "ApplyAdam"), ("Adam/mul", "Mul"), ("Adam/Assign", "Assign"), ("Adam/mul_1", "Mul"),
                     ("Adam/Assign_1", "Assign") })
            Assert.Equal(type, g.GetOperationByName(name).Type);
        var apply = g.GetOperationByName("Adam/update_W/ApplyAdam");
        Assert.Equal(["W", "W/Adam", "W/Adam_1", "beta1_power/read", "beta2_power/read", "Adam/learning_rate", "Adam/beta1", "Adam/beta2",
            "Adam/epsilon"], apply.Inputs.Take(9).Select(t => t.Op.Name));
        Assert.Equal(["Adam/update_W/ApplyAdam", "Adam/update_b/ApplyAdam"], g.GetOperationByName("Adam/mul").ControlInputs.Select(o => o.Name));
        Assert.Empty(g.GetOperationByName("Adam/Assign").ControlInputs);
        // Colocation as TF writes it: slots with their variable, the accumulators with the first variable by name.
        Assert.Equal(["loc:@W"], Class(g, "W/Adam"));
        Assert.Equal(["loc:@W"], Class(g, "W/Adam/Initializer/zeros"));
        Assert.Equal(["loc:@W"], Class(g, "W/Adam_1/read"));
        Assert.Equal(["loc:@W"], Class(g, "beta1_power/initial_value"));
        Assert.Equal(["loc:@W"], Class(g, "Adam/Assign_1"));
        Assert.False(g.GetOperationByName("Adam/beta1").Attrs.Contains("_class"));
        // Slots are global, not trainable; get_slot finds them.
        var global = Variable.GlobalVariables(g).Select(v => v.Name).ToArray();
        Assert.Equal(["W", "b", "beta1_power", "beta2_power", "W/Adam", "W/Adam_1", "b/Adam", "b/Adam_1"], global);
        Assert.Equal(["W", "b"], Variable.TrainableVariables(g).Select(v => v.Name));
        Assert.Equal("W/Adam_1", optimizer.GetSlot(w, "v")!.Name);
        Assert.Equal("b/Adam", optimizer.GetSlot(b, "m")!.Name);
        Assert.Contains(train, g.GetCollection<Operation>(GraphKeys.TrainOp));
    }

    [Fact]
    public void LargeSlotsAreFilledAndASecondOptimizerTakesTheNextSlotNames()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var w = new Variable(NDArray.Zeros(DType.Float, 40, 30), "W");
        var loss = SumOp.Create(ReshapeOp.Create(SquareOp.Create(w.Value), [-1]), [0]);
        new AdamOptimizer().Minimize(loss);
        Assert.Equal("Fill", g.GetOperationByName("W/Adam/Initializer/zeros").Type);
        Assert.Equal("Const", g.GetOperationByName("W/Adam/Initializer/zeros/shape_as_tensor").Type);
        Assert.Equal("Const", g.GetOperationByName("W/Adam/Initializer/zeros/Const").Type);
        new AdamOptimizer(name: "Adam").Minimize(loss);
        Assert.Equal("VariableV2", g.GetOperationByName("W/Adam_2").Type);
        Assert.Equal("VariableV2", g.GetOperationByName("W/Adam_3").Type);
        Assert.Equal("VariableV2", g.GetOperationByName("beta1_power_1").Type);
        Assert.Equal("NoOp", g.GetOperationByName("Adam_1").Type);
    }

    [Fact]
    public void GlobalStepIsAssignAddAfterTheUpdates()
    {
        var (g, _, _, loss) = Problem();
        Variable step;
        using (g.AsDefault()) step = new Variable(NDArray.ScalarOf(0, DType.Int64), "global_step", trainable: false);
        var train = new AdamOptimizer().Minimize(loss, globalStep: step);
        Assert.Equal("Adam", train.Name);
        Assert.Equal("AssignAdd", train.Type);
        Assert.Equal(["global_step", "Adam/value"], train.Inputs.Select(t => t.Op.Name));
        Assert.Empty(train.ControlInputs);
        Assert.Equal(["Adam/update"], g.GetOperationByName("Adam/value").ControlInputs.Select(o => o.Name));
        Assert.Equal("NoOp", g.GetOperationByName("Adam/update").Type);
        Assert.Equal(["loc:@global_step"], Class(g, "Adam"));
        using var s = new Session(g);
        s.Run([Variable.GlobalVariablesInitializer(g)]);
        s.Run([train]);
        s.Run([train]);
        Assert.Equal(2L, s.Run(step.Value)!.Longs[0]);

        var (g2, _, _, loss2) = Problem();
        Variable step2;
        using (g2.AsDefault()) step2 = new Variable(NDArray.ScalarOf(0, DType.Int64), "global_step", trainable: false);
        var sgd = new GradientDescentOptimizer(0.1f).Minimize(loss2, globalStep: step2);
        Assert.Equal("GradientDescent", sgd.Name);
        Assert.Equal("NoOp", g2.GetOperationByName("GradientDescent/update").Type);
    }

    [Fact]
    public void SavesUnderTfsKeysAndRestoresThroughTheImportedMetaGraph()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("model");
        float[] trained, slot;
        {
            var (g, w, _, loss) = Problem();
            var train = new AdamOptimizer(0.1f).Minimize(loss);
            var saver = Saver.Build(g);
            using var s = new Session(g);
            s.Run([Variable.GlobalVariablesInitializer(g)]);
            for (int i = 0; i < 3; i++) s.Run([train]);
            trained = s.Run(w.Value)!.Floats.ToArray();
            slot = s.Run("W/Adam_1:0")!.Floats.ToArray();
            saver.Save(s, prefix);
        }
        var keys = BundleReader.Open(prefix).Entries.Select(e => e.Name).ToArray();
        Assert.Equal(["W", "W/Adam", "W/Adam_1", "b", "b/Adam", "b/Adam_1", "beta1_power", "beta2_power"], keys);

        var restored = new Graph();
        var restoredSaver = MetaGraphImporter.Import(restored, prefix + ".meta")!;
        using var session = new Session(restored);
        restoredSaver.Restore(session, prefix);
        Assert.Equal(trained, session.Run("W/read:0")!.Floats.ToArray());
        Assert.Equal(slot, session.Run("W/Adam_1/read:0")!.Floats.ToArray());
        Assert.Equal(MathF.Pow(0.9f, 4), session.Run("beta1_power/read:0")!.Floats[0], 5);
        // Training continues from the restored slots.
        session.Run([restored.GetOperationByName("Adam")]);
        Assert.NotEqual(trained, session.Run("W/read:0")!.Floats.ToArray());
    }
}
