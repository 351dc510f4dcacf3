using TfMnist.Core;
using TfMnist.Framework;
using static TfMnist.Tests.Checkpoint.HandBuiltMetaGraph;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// An MNIST training graph as TF 1.x's tf.layers and tf.train write it, node for node: dense layers whose
/// ops sit under other name scopes than their variables (ops "dense_2/..." on variables "dense_1/..."), the
/// glorot-uniform and truncated-normal initializers under "&lt;var&gt;/Initializer/", MatMul + BiasAdd
/// (data_format) + Relu, Softmax output, an L2Loss regularizer (an op this engine lacks), and the
/// optimizer's slots and update ops (Adam: "&lt;var&gt;/Adam", "&lt;var&gt;/Adam_1", beta1_power, beta2_power,
/// "Adam/update_&lt;var&gt;/ApplyAdam"; Momentum: "&lt;var&gt;/Momentum", "Momentum/update_&lt;var&gt;/ApplyMomentum").
/// The gradients the updates take are placeholders "grad/&lt;var&gt;" here, so a test can feed them.
/// </summary>
internal static class LayersGraphs
{
    public const int Pixels = 784, Hidden = 32, Classes = 10;
    public const float LearningRate = 0.001f, Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f, Momentum = 0.9f;

    /// <summary>The trainable variables, as the optimizer lists them, with their shapes.</summary>
    public static readonly (string Name, int[] Shape)[] Trainable =
        [("dense/kernel", [Pixels, Hidden]), ("dense/bias", [Hidden]), ("dense_1/kernel", [Hidden, Classes]), ("dense_1/bias", [Classes])];

    public static (HandBuiltMetaGraph Graph, Proto.SaverDef Saver) Build(string optimizer)
    {
        var g = new HandBuiltMetaGraph(producer: 26, tensorflowVersion: "1.8.0");
        g.Placeholder("x", new Shape(-1, Pixels));
        GlorotUniformVariable(g, "dense/kernel", Pixels, Hidden);
        ZerosVariable(g, "dense/bias", Hidden);
        g.Node("dense/MatMul", "MatMul", ["x", "dense/kernel/read"], T, ("transpose_a", Attr.Bool(false)), ("transpose_b", Attr.Bool(false)));
        g.Node("dense/BiasAdd", "BiasAdd", ["dense/MatMul", "dense/bias/read"], T, ("data_format", Attr.String("NHWC")));
        g.Node("dense/Relu", "Relu", ["dense/BiasAdd"], T);
        TruncatedNormalVariable(g, "dense_1/kernel", Hidden, Classes, stddev: 0.1f);
        ZerosVariable(g, "dense_1/bias", Classes);
        // The second layer's ops were built in a later scope than its variables (a reused layer).
        g.Node("dense_2/MatMul", "MatMul", ["dense/Relu", "dense_1/kernel/read"], T, ("transpose_a", Attr.Bool(false)), ("transpose_b", Attr.Bool(false)));
        g.Node("dense_2/BiasAdd", "BiasAdd", ["dense_2/MatMul", "dense_1/bias/read"], T, ("data_format", Attr.String("NHWC")));
        g.Node("Softmax", "Softmax", ["dense_2/BiasAdd"], T);
        g.Node("l2_regularizer/L2Loss", "L2Loss", ["dense/kernel/read"], T);
        if (optimizer == "Adam") AdamNodes(g);
        else MomentumNodes(g);
        return (g, g.SaverWithOneBulkRestore());
    }

    private static void GlorotUniformVariable(HandBuiltMetaGraph g, string name, int fanIn, int fanOut)
    {
        string scope = name + "/Initializer/random_uniform";
        var colocated = ColocatedWith(name);
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        g.Const(scope + "/shape", new NDArray(DType.Int32, [2], new[] { fanIn, fanOut }), colocated);
        g.Const(scope + "/min", -limit, colocated);
        g.Const(scope + "/max", limit, colocated);
        g.Node(scope + "/RandomUniform", "RandomUniform", [scope + "/shape"], ("T", Attr.Type(DType.Int32)), colocated,
            ("dtype", Attr.Type(DType.Float)), ("seed", Attr.Int(0)), ("seed2", Attr.Int(0)));
        g.Node(scope + "/sub", "Sub", [scope + "/max", scope + "/min"], T, colocated);
        g.Node(scope + "/mul", "Mul", [scope + "/RandomUniform", scope + "/sub"], T, colocated);
        g.Node(scope, "Add", [scope + "/mul", scope + "/min"], T, colocated);
        g.Variable("VariableV2", name, new Shape(fanIn, fanOut), scope);
    }

    private static void TruncatedNormalVariable(HandBuiltMetaGraph g, string name, int rows, int cols, float stddev)
    {
        string scope = name + "/Initializer/truncated_normal";
        var colocated = ColocatedWith(name);
        g.Const(scope + "/shape", new NDArray(DType.Int32, [2], new[] { rows, cols }), colocated);
        g.Const(scope + "/mean", 0f, colocated);
        g.Const(scope + "/stddev", stddev, colocated);
        g.Node(scope + "/TruncatedNormal", "TruncatedNormal", [scope + "/shape"], ("T", Attr.Type(DType.Int32)), colocated,
            ("dtype", Attr.Type(DType.Float)), ("seed", Attr.Int(0)), ("seed2", Attr.Int(0)));
        g.Node(scope + "/mul", "Mul", [scope + "/TruncatedNormal", scope + "/stddev"], T, colocated);
        g.Node(scope, "Add", [scope + "/mul", scope + "/mean"], T, colocated);
        g.Variable("VariableV2", name, new Shape(rows, cols), scope);
    }

    private static void ZerosVariable(HandBuiltMetaGraph g, string name, int size, bool trainable = true)
    {
        g.Const(name + "/Initializer/zeros", NDArray.Zeros(DType.Float, size), ColocatedWith(name));
        g.Variable("VariableV2", name, new Shape(size), name + "/Initializer/zeros", trainable);
    }

    private static void SlotVariable(HandBuiltMetaGraph g, string variable, string slot, int[] shape)
    {
        string name = variable + "/" + slot;
        g.Const(name + "/Initializer/zeros", NDArray.Zeros(DType.Float, shape), ColocatedWith(variable));
        g.Variable("VariableV2", name, new Shape(shape), name + "/Initializer/zeros", trainable: false);
    }

    private static void AdamNodes(HandBuiltMetaGraph g)
    {
        // beta1_power and beta2_power live beside the first variable by name (dense/bias).
        foreach (var (power, value) in new[] { ("beta1_power", Beta1), ("beta2_power", Beta2) })
        {
            g.Const(power + "/initial_value", value, ColocatedWith("dense/bias"));
            g.Variable("VariableV2", power, Shape.Scalar, power + "/initial_value", trainable: false);
        }
        foreach (var (name, shape) in Trainable)
        {
            SlotVariable(g, name, "Adam", shape);
            SlotVariable(g, name, "Adam_1", shape);
        }
        g.Const("Adam/learning_rate", LearningRate);
        g.Const("Adam/beta1", Beta1);
        g.Const("Adam/beta2", Beta2);
        g.Const("Adam/epsilon", Epsilon);
        var updates = new List<string>();
        foreach (var (name, shape) in Trainable)
        {
            g.Node("grad/" + name, "Placeholder", [], ("dtype", Attr.Type(DType.Float)), ("shape", Attr.Shape(new Shape(shape))));
            string update = $"Adam/update_{name}/ApplyAdam";
            g.Node(update, "ApplyAdam", [name, name + "/Adam", name + "/Adam_1", "beta1_power/read", "beta2_power/read",
                "Adam/learning_rate", "Adam/beta1", "Adam/beta2", "Adam/epsilon", "grad/" + name],
                T, ColocatedWith(name), ("use_locking", Attr.Bool(false)), ("use_nesterov", Attr.Bool(false)));
            updates.Add("^" + update);
        }
        g.Node("Adam/mul", "Mul", ["beta1_power/read", "Adam/beta1", .. updates], T, ColocatedWith("dense/bias"));
        g.Node("Adam/Assign", "Assign", ["beta1_power", "Adam/mul", .. updates], T, ColocatedWith("dense/bias"),
            ("use_locking", Attr.Bool(false)), ("validate_shape", Attr.Bool(true)));
        g.Node("Adam/mul_1", "Mul", ["beta2_power/read", "Adam/beta2", .. updates], T, ColocatedWith("dense/bias"));
        g.Node("Adam/Assign_1", "Assign", ["beta2_power", "Adam/mul_1", .. updates], T, ColocatedWith("dense/bias"),
            ("use_locking", Attr.Bool(false)), ("validate_shape", Attr.Bool(true)));
        g.Node("Adam", "NoOp", [.. updates, "^Adam/Assign", "^Adam/Assign_1"]);
    }

    private static void MomentumNodes(HandBuiltMetaGraph g)
    {
        foreach (var (name, shape) in Trainable) SlotVariable(g, name, "Momentum", shape);
        g.Const("Momentum/learning_rate", LearningRate);
        g.Const("Momentum/momentum", Momentum);
        var updates = new List<string>();
        foreach (var (name, shape) in Trainable)
        {
            g.Node("grad/" + name, "Placeholder", [], ("dtype", Attr.Type(DType.Float)), ("shape", Attr.Shape(new Shape(shape))));
            string update = $"Momentum/update_{name}/ApplyMomentum";
            g.Node(update, "ApplyMomentum", [name, name + "/Momentum", "Momentum/learning_rate", "grad/" + name, "Momentum/momentum"],
                T, ColocatedWith(name), ("use_locking", Attr.Bool(false)), ("use_nesterov", Attr.Bool(false)));
            updates.Add("^" + update);
        }
        g.Node("Momentum", "NoOp", [.. updates]);
    }
}
