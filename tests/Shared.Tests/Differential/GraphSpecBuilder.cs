using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Differential;

/// <summary>A spec built into an engine graph: what to run, feed and fetch.</summary>
internal sealed record BuiltGraph(Graph Graph, Operation Init, Tensor[] Fetches, int[] FetchNodes, Operation[] Targets, FeedItem[] Feeds);

/// <summary>
/// Builds a <see cref="GraphSpec"/> through the engine's op builders, as the facade and the Trainer do
/// (TF's dropout subgraph from <see cref="Dropout"/>, tf.Variable's VariableV2/Assign/read, summaries by tag).
/// </summary>
internal static class GraphSpecBuilder
{
    /// <summary>Relative size of the perturbation <see cref="Build"/> applies after each tolerant op when asked.</summary>
    public const float PerturbationDelta = 1e-5f;

    /// <param name="perturbSeed">Null: the graph as specified. Else each tolerant op's output (see
    /// <see cref="IsTolerant"/>) is multiplied by a constant of its shape whose elements are 1 ± <see cref="PerturbationDelta"/>,
    /// the signs drawn from this seed and the node's index, so the reference executor can show how much a tolerated
    /// difference there becomes at the fetches (see <see cref="DifferentialRunner"/>).</param>
    public static BuiltGraph Build(GraphSpec spec, int? perturbSeed = null)
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var tensors = new Tensor?[spec.Nodes.Count];
        var variables = new Variable?[spec.Nodes.Count];
        var ops = new Operation?[spec.Nodes.Count];
        var valueOps = new List<Operation>();
        var feeds = new List<FeedItem>();
        var targets = new List<Operation>();
        for (int i = 0; i < spec.Nodes.Count; i++)
        {
            var node = spec.Nodes[i];
            int[] shape = spec.ConcreteShape(node);
            Tensor In(int k) => tensors[node.Inputs[k]] ?? throw new InvalidOperationException($"n{i} reads n{node.Inputs[k]}, which has no value output");
            NDArray Values() => new(DType.Float, shape, SpecValues.Fill(node.Values, node.ValueSeed, NDArray.ElementCount(shape)));
            Tensor? output = null;
            switch (node.Kind)
            {
                case NodeKind.Placeholder:
                    output = PlaceholderOp.Create(DType.Float, new Shape(shape), $"p{i}");
                    feeds.Add(new FeedItem(output, Values()));
                    break;
                case NodeKind.Const:
                    output = ConstOp.Create(Values(), $"c{i}");
                    break;
                case NodeKind.Variable:
                    variables[i] = new Variable(Values(), $"v{i}");
                    output = variables[i]!.Value;
                    break;
                case NodeKind.Unary:
                    output = Unary(node.Op, In(0));
                    break;
                case NodeKind.Binary:
                    output = Binary(node.Op, In(0), In(1));
                    break;
                case NodeKind.BiasAdd:
                    output = BiasAddOp.Create(In(0), In(1));
                    break;
                case NodeKind.MatMul:
                    output = MatMulOp.Create(In(0), In(1), node.TransposeA, node.TransposeB);
                    break;
                case NodeKind.Reduce:
                    output = Reduce(node, In(0));
                    break;
                case NodeKind.Softmax:
                    output = SoftmaxOp.Create(In(0));
                    break;
                case NodeKind.CrossEntropy:
                    output = SoftmaxCrossEntropy.WithLogitsV2(In(0), In(1));
                    break;
                case NodeKind.Dropout:
                    output = Dropout.Create(In(0), KeepProb(node, i, feeds), seed: node.ValueSeed);
                    break;
                case NodeKind.Reshape:
                    output = ReshapeOp.Create(In(0), shape);
                    break;
                case NodeKind.Select:
                    output = SelectOp.Create(Compare(node.Op, In(0), In(1)), In(0), In(2));
                    break;
                case NodeKind.SigmoidCrossEntropy:
                    output = SigmoidCrossEntropy.WithLogits(In(0), In(1));
                    break;
                case NodeKind.ScalarSummary:
                    output = ScalarSummaryOp.Create($"s{i}", In(0));
                    break;
                case NodeKind.HistogramSummary:
                    output = HistogramSummaryOp.Create($"h{i}", In(0));
                    break;
                case NodeKind.Assign or NodeKind.ApplyGradientDescent or NodeKind.ApplyAdam:
                    ops[i] = Update(node, variables[node.Inputs[0]]!, In(1), valueOps);
                    targets.Add(ops[i]!);
                    valueOps.Add(ops[i]!); // a later update to the same variable comes after this one
                    break;
                case NodeKind.Minimize:
                    ops[i] = Minimize(spec, i, In(0), variables, valueOps);
                    targets.Add(ops[i]!);
                    valueOps.Add(ops[i]!);
                    break;
                case NodeKind.ReadAfter:
                    output = IdentityOp.Create(variables[node.Inputs[0]]!.Ref, $"after{i}", controlInputs: [ops[node.Inputs[1]]!]);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(spec), node.Kind, null);
            }
            if (output is not null && perturbSeed is int ps && IsTolerant(node))
            {
                valueOps.Add(output.Op);
                var random = new Random(HashCode.Combine(ps, i));
                var factors = new float[NDArray.ElementCount(shape)];
                for (int k = 0; k < factors.Length; k++) factors[k] = random.Next(2) == 0 ? 1 + PerturbationDelta : 1 - PerturbationDelta;
                output = MulOp.Create(output, ConstOp.Create(new NDArray(DType.Float, shape, factors), $"perturb{i}"));
            }
            tensors[i] = output;
            if (output is not null) valueOps.Add(output.Op);
        }
        var fetchNodes = Enumerable.Range(0, spec.Nodes.Count).Where(i => spec.Nodes[i].Fetched && tensors[i] is not null).ToArray();
        var init = Variable.GlobalVariablesInitializer(graph);
        return new BuiltGraph(graph, init, fetchNodes.Select(i => tensors[i]!).ToArray(), fetchNodes, targets.ToArray(), feeds.ToArray());
    }

    /// <summary>Spec nodes built as an op of <see cref="ComparisonRules.TolerantOps"/> (the tolerant ops inside a
    /// gradient step are not perturbed: they keep the fixed tolerance only).</summary>
    public static bool IsTolerant(SpecNode node) => node.Kind switch
    {
        NodeKind.Unary => ComparisonRules.TolerantOps.ContainsKey(node.Op),
        NodeKind.Reduce => ComparisonRules.TolerantOps.ContainsKey(node.Op),
        NodeKind.Softmax or NodeKind.CrossEntropy or NodeKind.SigmoidCrossEntropy => true,
        _ => false,
    };

    /// <summary>The Trainer's step: gradients of the loss for the variables it reads, applied after every value node so far.</summary>
    private static Operation Minimize(GraphSpec spec, int index, Tensor loss, Variable?[] variables, List<Operation> before)
    {
        var reads = new HashSet<int>();
        var stack = new Stack<int>([spec.Nodes[index].Inputs[0]]);
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            if (!reads.Add(k)) continue;
            foreach (int input in spec.Nodes[k].Inputs) stack.Push(input);
        }
        var varList = reads.Order().Where(k => spec.Nodes[k].Kind == NodeKind.Variable).Select(k => variables[k]!).ToList();
        using var deps = loss.Graph.ControlDependencies(before.ToArray());
        if (varList.Count == 0) return NoOpOp.Create(loss.Graph, "nothing_to_train", Array.Empty<Operation>());
        var node = spec.Nodes[index];
        Train.Optimizer optimizer = node.Op == "Adam" ? new Train.AdamOptimizer(node.Param) : new Train.GradientDescentOptimizer(node.Param);
        return optimizer.Minimize(loss, varList);
    }

    private static Tensor Unary(string op, Tensor x) => op switch
    {
        "Relu" => ReluOp.Create(x),
        "Round" => RoundOp.Create(x),
        "Floor" => FloorOp.Create(x),
        "Neg" => NegOp.Create(x),
        "Square" => SquareOp.Create(x),
        "Sqrt" => SqrtOp.Create(x),
        "Exp" => ExpOp.Create(x),
        "Tanh" => TanhOp.Create(x),
        "Sigmoid" => SigmoidOp.Create(x),
        "Abs" => AbsOp.Create(x),
        "Sign" => SignOp.Create(x),
        "Log" => LogOp.Create(x),
        "Log1p" => Log1pOp.Create(x),
        "Reciprocal" => ReciprocalOp.Create(x),
        "Identity" => IdentityOp.Create(x),
        "StopGradient" => StopGradientOp.Create(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Tensor Binary(string op, Tensor x, Tensor y) => op switch
    {
        "Add" => AddOp.Create(x, y),
        "Sub" => SubOp.Create(x, y),
        "Mul" => MulOp.Create(x, y),
        "RealDiv" => RealDivOp.Create(x, y),
        "Maximum" => MaximumOp.Create(x, y),
        "Minimum" => MinimumOp.Create(x, y),
        "Pow" => PowOp.Create(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Tensor Compare(string op, Tensor x, Tensor y) => op switch
    {
        "Less" => LessOp.Create(x, y),
        "Greater" => GreaterOp.Create(x, y),
        "LessEqual" => LessEqualOp.Create(x, y),
        "GreaterEqual" => GreaterEqualOp.Create(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Tensor Reduce(SpecNode node, Tensor x)
    {
        int[] axes = node.Axis < 0 ? Enumerable.Range(0, x.Shape.Rank).ToArray() : [node.Axis];
        return node.Op switch
        {
            "Sum" => SumOp.Create(x, axes, node.KeepDims),
            "Mean" => MeanOp.Create(x, axes, node.KeepDims),
            "Max" => MaxOp.Create(x, axes, node.KeepDims),
            "Min" => MinOp.Create(x, axes, node.KeepDims),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.Op, null),
        };
    }

    private static Tensor KeepProb(SpecNode node, int index, List<FeedItem> feeds)
    {
        if (!node.Fed) return ConstOp.Create(new NDArray(DType.Float, [], new[] { node.Param }), $"keep{index}");
        var keep = PlaceholderOp.Create(DType.Float, new Shape([]), $"keep{index}");
        feeds.Add(new FeedItem(keep, node.Param));
        return keep;
    }

    /// <summary>An update after every value node made so far, as a TF user orders "read, then assign" with
    /// control_dependencies; later reads of the new value go through <see cref="NodeKind.ReadAfter"/>.</summary>
    private static Operation Update(SpecNode node, Variable variable, Tensor value, List<Operation> before)
    {
        if (node.Kind == NodeKind.ApplyAdam) return Adam(node, variable, value, before);
        using var deps = variable.Graph.ControlDependencies(before.ToArray());
        if (node.Kind == NodeKind.Assign) return AssignOp.Create(variable.Ref, value).Op;
        var alpha = ConstOp.Create(new NDArray(DType.Float, [], new[] { node.Param }), "alpha");
        return ApplyGradientDescentOp.Create(variable.Ref, alpha, value).Op;
    }

    /// <summary>ApplyAdam with zero slots made beside the variable (outside the control dependencies, so the initializer
    /// needs no feed) and the beta powers of step 1 or 3.</summary>
    private static Operation Adam(SpecNode node, Variable variable, Tensor value, List<Operation> before)
    {
        var shape = variable.Shape.ToArray();
        var m = new Variable(NDArray.Zeros(DType.Float, shape), variable.Name + "/Adam");
        var v = new Variable(NDArray.Zeros(DType.Float, shape), variable.Name + "/Adam_1");
        using var deps = variable.Graph.ControlDependencies(before.ToArray());
        int step = node.Fed ? 3 : 1;
        Tensor Scalar(float x, string name) => ConstOp.Create(new NDArray(DType.Float, [], new[] { x }), name);
        return ApplyAdamOp.Create(variable.Ref, m.Ref, v.Ref, Scalar(MathF.Pow(0.9f, step), "beta1_power"), Scalar(MathF.Pow(0.999f, step), "beta2_power"),
            Scalar(node.Param, "lr"), Scalar(0.9f, "beta1"), Scalar(0.999f, "beta2"), Scalar(1e-8f, "epsilon"), value).Op;
    }
}
