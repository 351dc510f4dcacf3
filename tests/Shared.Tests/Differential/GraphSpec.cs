namespace TfMnist.Tests.Differential;

/// <summary>What a spec node builds (see <see cref="GraphSpecBuilder"/> for the exact ops).</summary>
internal enum NodeKind
{
    Placeholder, Const, Variable,
    Unary, Binary, BiasAdd, MatMul, Reduce, Softmax, CrossEntropy, Dropout, Reshape,
    ScalarSummary, HistogramSummary,
    /// <summary>Assign(variable, value) with control dependencies on every value node before it.</summary>
    Assign,
    /// <summary>ApplyGradientDescent(variable, Param, delta), ordered like <see cref="Assign"/>.</summary>
    ApplyGradientDescent,
    /// <summary>ApplyAdam(variable, m, v, ..., lr = Param, grad) with fresh zero slots and beta powers of step 1 (or 3 when
    /// Fed), ordered like <see cref="Assign"/>.</summary>
    ApplyAdam,
    /// <summary>identity(variable ref) under control_dependencies([update]): the value after the update.</summary>
    ReadAfter,
    /// <summary>GradientDescentOptimizer(Param).minimize(loss) (or AdamOptimizer(Param) when Op is "Adam") over the variables the loss
    /// reads, ordered like <see cref="Assign"/>.</summary>
    Minimize,
    /// <summary>where(Op(a, b), a, e): a comparison (Less, Greater, LessEqual, GreaterEqual) of a with b choosing a or e.</summary>
    Select,
    /// <summary>tf.nn.sigmoid_cross_entropy_with_logits(labels, logits).</summary>
    SigmoidCrossEntropy,
}

/// <summary>How a fed, constant or initial value is filled (deterministically from a seed).</summary>
internal enum ValueKind
{
    /// <summary>Uniform in [-2, 2).</summary>
    Ordinary,
    /// <summary>Ordinary with ~20% NaN, ±Inf, ±0, denormals, ±1e30 and halves (rounding ties).</summary>
    Awkward,
    /// <summary>In [0, 1), 85% below 0.5: Round makes it a binarised input with ~85% zeros.</summary>
    Binarisable,
    /// <summary>85% exact zeros (some -0), the rest awkward.</summary>
    MostlyZero,
    Zeros,
    Ones,
}

/// <summary>
/// One node of a random graph. Shapes are symbolic: each entry is an index into <see cref="GraphSpec.Dims"/>, or
/// <see cref="One"/> for a literal 1, so the shrinker can shrink every shape at once by shrinking a symbol.
/// </summary>
internal sealed record SpecNode
{
    public const int One = -1;

    public required NodeKind Kind { get; init; }
    /// <summary>The engine op type for Unary/Binary/Reduce ("Relu", "Add", "Sum", ...).</summary>
    public string Op { get; init; } = "";
    public int[] Inputs { get; init; } = [];
    public int[] Shape { get; init; } = [];
    public ValueKind Values { get; init; }
    public int ValueSeed { get; init; }
    public bool TransposeA { get; init; }
    public bool TransposeB { get; init; }
    /// <summary>Reduce: the axis (-1 = all); Reshape: unused.</summary>
    public int Axis { get; init; } = -1;
    public bool KeepDims { get; init; }
    /// <summary>Dropout: keep_prob; ApplyGradientDescent: the learning rate.</summary>
    public float Param { get; init; }
    /// <summary>Dropout: keep_prob is a fed placeholder (else a constant).</summary>
    public bool Fed { get; init; }
    public bool Fetched { get; init; }
}

/// <summary>A random graph: symbol sizes and nodes in creation order (inputs always refer to earlier nodes).</summary>
internal sealed record GraphSpec(int[] Dims, IReadOnlyList<SpecNode> Nodes, int RandomSeed)
{
    public int[] ConcreteShape(SpecNode node) => node.Shape.Select(s => s == SpecNode.One ? 1 : Dims[s]).ToArray();

    public static bool IsUpdate(NodeKind kind) => kind is NodeKind.Assign or NodeKind.ApplyGradientDescent or NodeKind.ApplyAdam or NodeKind.Minimize;

    /// <summary>The nodes the run needs: fetched ones, updates (they are run targets) and their inputs.</summary>
    public bool[] Live()
    {
        var live = new bool[Nodes.Count];
        for (int i = Nodes.Count - 1; i >= 0; i--)
        {
            var node = Nodes[i];
            if (node.Fetched || IsUpdate(node.Kind)) live[i] = true;
            if (!live[i]) continue;
            foreach (int input in node.Inputs) live[input] = true;
        }
        return live;
    }

    /// <summary>The same graph without the nodes nothing needs, inputs renumbered.</summary>
    public GraphSpec Pruned()
    {
        var live = Live();
        var map = new int[Nodes.Count];
        var nodes = new List<SpecNode>();
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!live[i]) { map[i] = -1; continue; }
            map[i] = nodes.Count;
            nodes.Add(Nodes[i] with { Inputs = Nodes[i].Inputs.Select(j => map[j]).ToArray() });
        }
        return this with { Nodes = nodes };
    }

    public int FetchCount => Nodes.Count(n => n.Fetched);

    /// <summary>A readable listing: one line a node, with its concrete shape.</summary>
    public string Listing()
    {
        var lines = new List<string> { $"dims = [{string.Join(", ", Dims)}] (symbols d0..d{Dims.Length - 1}), random seed {RandomSeed}" };
        for (int i = 0; i < Nodes.Count; i++)
        {
            var n = Nodes[i];
            string shape = "[" + string.Join(",", ConcreteShape(n)) + "]";
            string args = string.Join(", ", n.Inputs.Select(j => $"n{j}"));
            string detail = n.Kind switch
            {
                NodeKind.Placeholder or NodeKind.Const or NodeKind.Variable => $"{n.Kind} of {n.Values} values (seed {n.ValueSeed})",
                NodeKind.Unary or NodeKind.Binary => $"{n.Op}({args})",
                NodeKind.MatMul => $"MatMul({args}, transpose_a={n.TransposeA}, transpose_b={n.TransposeB})",
                NodeKind.Reduce => $"{n.Op}({args}, axis={(n.Axis < 0 ? "all" : n.Axis.ToString())}, keepdims={n.KeepDims})",
                NodeKind.Dropout => $"tf.nn.dropout({args}, keep_prob={n.Param} {(n.Fed ? "fed" : "constant")})",
                NodeKind.ApplyGradientDescent => $"ApplyGradientDescent({args}, alpha={n.Param}) after every earlier node",
                NodeKind.ApplyAdam => $"ApplyAdam({args}, lr={n.Param}, step {(n.Fed ? 3 : 1)}) after every earlier node",
                NodeKind.Assign => $"Assign({args}) after every earlier node",
                NodeKind.Minimize => $"{(n.Op == "Adam" ? "AdamOptimizer" : "GradientDescentOptimizer")}({n.Param}).minimize({args}) after every earlier node",
                NodeKind.Select => $"where({n.Op}(n{n.Inputs[0]}, n{n.Inputs[1]}), n{n.Inputs[0]}, n{n.Inputs[2]})",
                NodeKind.ReadAfter => $"identity(variable of n{n.Inputs[0]}) after update n{n.Inputs[1]}",
                _ => $"{n.Kind}({args})",
            };
            lines.Add($"  n{i} {shape,-10} = {detail}{(n.Fetched ? "   <- fetched" : "")}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
