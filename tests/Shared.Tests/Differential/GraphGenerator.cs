namespace TfMnist.Tests.Differential;

/// <summary>
/// Seeded random graphs over the engine's op set (Csmith-style: every graph valid by construction). Moves
/// favour the shapes and patterns the fast executor rewrites: binarised left operands of MatMul (sparse and
/// Round-into-MatMul paths), the same tensor as both operands, bias add + ReLU after a product (the epilogue),
/// x · 1 and TF's dropout at keep_prob 1, histograms of x and relu(x), variables read around their updates.
/// </summary>
internal sealed class GraphGenerator
{
    private const int D0 = 0, D1 = 1, D2 = 2, D3 = 3, One = SpecNode.One;
    private static readonly string[] UnaryOps = ["Relu", "Round", "Floor", "Neg", "Square", "Sqrt", "Exp", "Identity", "StopGradient"];
    private static readonly string[] BinaryOps = ["Add", "Sub", "Mul", "RealDiv", "Maximum", "Minimum"];
    private static readonly string[] ActivationOps = ["Tanh", "Sigmoid", "Abs", "Sign", "Reciprocal"];
    private static readonly string[] Comparisons = ["Less", "Greater", "LessEqual", "GreaterEqual"];
    private static readonly string[] ReduceOps = ["Sum", "Mean", "Max", "Min"];
    private static readonly float[] KeepProbs = [1f, 1f, 0.5f, 0.9f, 0.25f];

    private readonly Random _rng;
    private readonly List<SpecNode> _nodes = [];
    /// <summary>Per node: the variable node whose storage it may share (read, identity, reshape chains), or -1.</summary>
    private readonly List<int> _aliasOf = [];
    /// <summary>Nodes later nodes may read: not updates, not aliases of a variable updated since.</summary>
    private readonly List<int> _pool = [];
    private readonly HashSet<int> _forceFetch = [];

    private GraphGenerator(int seed) => _rng = new Random(seed);

    /// <summary>Case <paramref name="caseIndex"/> of the campaign with <paramref name="seed"/>.</summary>
    public static GraphSpec Generate(int seed, int caseIndex)
    {
        // SplitMix64 of (seed, case): the same graph in every process (HashCode is randomized per process).
        ulong z = ((ulong)(uint)seed << 32 | (uint)caseIndex) + 0x9E3779B97F4A7C15ul;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
        z ^= z >> 31;
        return new GraphGenerator((int)z).Build((int)(z >> 32));
    }

    private GraphSpec Build(int randomSeed)
    {
        // Half the cases get shapes where the sparse-left products apply (K >= 16, M·K >= 1024, N > 16).
        int[] dims = _rng.Next(2) == 0
            ? [_rng.Next(32, 81), _rng.Next(16, 49), _rng.Next(17, 41), _rng.Next(1, 9)]
            : [_rng.Next(1, 20), _rng.Next(1, 20), _rng.Next(1, 20), _rng.Next(1, 6)];
        Leaf([D0, D1]);
        int moves = _rng.Next(3, 14);
        for (int m = 0; m < moves; m++) Move();
        var fetched = _nodes.Select((n, i) => n with
        {
            Fetched = !GraphSpec.IsUpdate(n.Kind) && (_forceFetch.Contains(i) || i == _nodes.Count - 1 || _rng.Next(100) < 30),
        }).ToList();
        return new GraphSpec(dims, fetched, randomSeed).Pruned();
    }

    private void Move()
    {
        switch (_rng.Next(16))
        {
            case 0 or 1: Add(new SpecNode { Kind = NodeKind.Unary, Op = Pick(UnaryOps), Inputs = [PickAny()] }); break;
            case 2 or 3: BinaryMove(); break;
            case 4: SparseProductMove(); break;
            case 5: SameOperandProductMove(); break;
            case 6: GeneralProductMove(); break;
            case 7: ReduceMove(); break;
            case 8: SoftmaxMove(); break;
            case 9: DropoutMove(); break;
            case 10: ReshapeMove(); break;
            case 11: SummaryMove(); break;
            case 12: UpdateMove(); break;
            case 13: ForwardedVariableMove(); break;
            case 14 when _rng.Next(2) == 0: TrainMove(); break;
            case 15: ActivationMove(); break;
            default: Add(new SpecNode { Kind = NodeKind.Binary, Op = "Mul", Inputs = [PickAny(), Const([], ValueKind.Ones)] }); break;
        }
    }

    private void BinaryMove()
    {
        int a = PickAny();
        int[] shape = _nodes[a].Shape;
        // Every broadcast form: same shape, scalar, row vector, column vector.
        int[] other = shape.Length switch
        {
            2 => _rng.Next(4) switch { 0 => shape, 1 => [], 2 => [shape[1]], _ => [shape[0], One] },
            1 => _rng.Next(2) == 0 ? shape : [],
            _ => [],
        };
        int b = FindOrLeaf(other);
        Add(new SpecNode { Kind = NodeKind.Binary, Op = Pick(BinaryOps), Inputs = _rng.Next(2) == 0 ? [a, b] : [b, a] });
    }

    /// <summary>A mostly-zero left operand (binarised, or exact zeros) times a dense one, often with the epilogue.</summary>
    private void SparseProductMove()
    {
        int left = _rng.Next(3) switch
        {
            0 => Leaf([D0, D1], ValueKind.MostlyZero),
            1 => Add(new SpecNode { Kind = NodeKind.Unary, Op = "Relu", Inputs = [Leaf([D0, D1], ValueKind.MostlyZero)] }),
            _ => Add(new SpecNode { Kind = NodeKind.Unary, Op = "Round", Inputs = [Leaf([D0, D1], ValueKind.Binarisable)] }),
        };
        if (_rng.Next(4) == 0) _forceFetch.Add(left);
        // transpose_a: the weight gradient's Xᵀ·dH, whose sparse path scatters in order.
        bool transposeA = _rng.Next(3) == 0, transposeB = _rng.Next(2) == 0;
        int k = transposeA ? D0 : D1;
        int right = FindOrLeaf(transposeB ? [D2, k] : [k, D2]);
        int product = Add(new SpecNode { Kind = NodeKind.MatMul, Inputs = [left, right], TransposeA = transposeA, TransposeB = transposeB });
        if (_rng.Next(3) == 0) return;
        int bias = FindOrLeaf([D2]);
        int sum = _rng.Next(3) switch
        {
            0 => Add(new SpecNode { Kind = NodeKind.BiasAdd, Inputs = [product, bias] }),
            1 => Add(new SpecNode { Kind = NodeKind.Binary, Op = "Add", Inputs = [bias, product] }),
            _ => Add(new SpecNode { Kind = NodeKind.Binary, Op = "Add", Inputs = [product, bias] }),
        };
        if (_rng.Next(4) != 0) Add(new SpecNode { Kind = NodeKind.Unary, Op = "Relu", Inputs = [sum] });
    }

    /// <summary>matmul(r, r, transpose) with r = round(x) or another rank-2 tensor: both operands one tensor.</summary>
    private void SameOperandProductMove()
    {
        int r = _rng.Next(2) == 0
            ? Add(new SpecNode { Kind = NodeKind.Unary, Op = "Round", Inputs = [Leaf([D0, D1], ValueKind.Binarisable)] })
            : PickRank2();
        var s = _nodes[r].Shape;
        (bool ta, bool tb) = s[0] == s[1] ? (_rng.Next(2) == 0, _rng.Next(2) == 0) : _rng.Next(2) == 0 ? (false, true) : (true, false);
        Add(new SpecNode { Kind = NodeKind.MatMul, Inputs = [r, r], TransposeA = ta, TransposeB = tb });
    }

    private void GeneralProductMove()
    {
        int a = PickRank2();
        var s = _nodes[a].Shape;
        bool ta = _rng.Next(2) == 0, tb = _rng.Next(2) == 0;
        int k = ta ? s[0] : s[1];
        int n = Pick([D0, D1, D2, D3]);
        if (k == One) return;
        Add(new SpecNode { Kind = NodeKind.MatMul, Inputs = [a, FindOrLeaf(tb ? [n, k] : [k, n])], TransposeA = ta, TransposeB = tb });
    }

    private void ReduceMove()
    {
        int x = PickAny();
        var shape = _nodes[x].Shape;
        int axis = shape.Length == 0 || _rng.Next(3) == 0 ? -1 : _rng.Next(shape.Length);
        bool keep = _rng.Next(3) == 0;
        int[] result = axis < 0
            ? keep ? shape.Select(_ => One).ToArray() : []
            : shape.Select((d, i) => i == axis ? One : d).Where((_, i) => keep || i != axis).ToArray();
        Add(new SpecNode { Kind = NodeKind.Reduce, Op = Pick(ReduceOps), Inputs = [x], Axis = axis, KeepDims = keep, Shape = result });
    }

    private void SoftmaxMove()
    {
        int logits = PickRank2();
        if (_rng.Next(2) == 0) { Add(new SpecNode { Kind = NodeKind.Softmax, Inputs = [logits] }); return; }
        var shape = _nodes[logits].Shape;
        int labels = Leaf(shape, _rng.Next(2) == 0 ? ValueKind.Binarisable : RandomValueKind());
        Add(new SpecNode { Kind = NodeKind.CrossEntropy, Inputs = [labels, logits], Shape = [shape[0]] });
    }

    /// <summary>tanh, sigmoid, abs, sign, 1/x; log, log1p and pow of positive values (and of any, for NaN and -Inf);
    /// a comparison choosing between two tensors; sigmoid cross-entropy.</summary>
    private void ActivationMove()
    {
        switch (_rng.Next(5))
        {
            case 0:
                Add(new SpecNode { Kind = NodeKind.Unary, Op = Pick(ActivationOps), Inputs = [PickAny()] });
                break;
            case 1:
                int x = PickAny();
                int positive = _rng.Next(3) switch
                {
                    0 => x,
                    1 => Add(new SpecNode { Kind = NodeKind.Unary, Op = "Abs", Inputs = [x] }),
                    _ => Add(new SpecNode { Kind = NodeKind.Unary, Op = "Sigmoid", Inputs = [x] }),
                };
                if (_rng.Next(3) == 0)
                    Add(new SpecNode { Kind = NodeKind.Binary, Op = "Pow", Inputs = [positive, FindOrLeaf(_rng.Next(2) == 0 ? [] : _nodes[positive].Shape)] });
                else Add(new SpecNode { Kind = NodeKind.Unary, Op = _rng.Next(2) == 0 ? "Log" : "Log1p", Inputs = [positive] });
                break;
            case 2 or 3:
                int a = PickAny();
                int[] shape = _nodes[a].Shape;
                int[] other = shape.Length switch
                {
                    2 => _rng.Next(4) switch { 0 => shape, 1 => [], 2 => [shape[1]], _ => [shape[0], One] },
                    1 => _rng.Next(2) == 0 ? shape : [],
                    _ => [],
                };
                Add(new SpecNode { Kind = NodeKind.Select, Op = Pick(Comparisons), Inputs = [a, FindOrLeaf(other), FindOrLeaf(shape)], Shape = shape });
                break;
            default:
                int logits = PickAny();
                var logitsShape = _nodes[logits].Shape;
                int labels = Leaf(logitsShape, _rng.Next(2) == 0 ? ValueKind.Binarisable : RandomValueKind());
                Add(new SpecNode { Kind = NodeKind.SigmoidCrossEntropy, Inputs = [labels, logits], Shape = logitsShape });
                break;
        }
    }

    private void DropoutMove() => Add(new SpecNode
    {
        Kind = NodeKind.Dropout, Inputs = [PickAny()], Param = Pick(KeepProbs), Fed = _rng.Next(2) == 0, ValueSeed = _rng.Next(1, 1000),
    });

    private void ReshapeMove()
    {
        int x = PickRank2();
        var s = _nodes[x].Shape;
        Add(new SpecNode { Kind = NodeKind.Reshape, Inputs = [x], Shape = _rng.Next(2) == 0 ? [s[1], s[0]] : s });
    }

    /// <summary>Scalar summary of a reduction, or histograms of x (and often of relu(x) beside it).</summary>
    private void SummaryMove()
    {
        // Half the time over plain values: the reference rightly rejects a histogram of NaN or ±Inf (so must the fast
        // executor, which the runner checks), but a graph it rejects tests little else.
        int x = _rng.Next(2) == 0 ? PickAny() : Add(new SpecNode { Kind = NodeKind.Unary, Op = "Neg", Inputs = [Leaf([D0, D1], ValueKind.Ordinary)] });
        if (_rng.Next(3) == 0)
        {
            if (_nodes[x].Shape.Length != 0) x = Add(new SpecNode { Kind = NodeKind.Reduce, Op = Pick(ReduceOps), Inputs = [x] });
            Add(new SpecNode { Kind = NodeKind.ScalarSummary, Inputs = [x] });
            return;
        }
        Add(new SpecNode { Kind = NodeKind.HistogramSummary, Inputs = [x] });
        if (_rng.Next(3) == 0) return;
        int relu = Add(new SpecNode { Kind = NodeKind.Unary, Op = "Relu", Inputs = [x] });
        Add(new SpecNode { Kind = NodeKind.HistogramSummary, Inputs = [relu] });
    }

    /// <summary>Assign, ApplyGradientDescent or ApplyAdam after everything so far, and often a read of the new value.</summary>
    private void UpdateMove()
    {
        var variables = _pool.Where(i => _nodes[i].Kind == NodeKind.Variable).ToList();
        int v = variables.Count > 0 && _rng.Next(3) != 0 ? Pick(variables.ToArray()) : Leaf(RandomShape(), ValueKind.Ordinary, NodeKind.Variable);
        UpdateVariable(v);
    }

    /// <summary>stop_gradient(w) * 1 (or w, or identity(w), times 1) fetched, then w updated in the same run.</summary>
    private void ForwardedVariableMove()
    {
        int v = Leaf(RandomShape(), RandomValueKind(), NodeKind.Variable);
        int read = _rng.Next(3) switch
        {
            0 => v,
            1 => Add(new SpecNode { Kind = NodeKind.Unary, Op = "StopGradient", Inputs = [v] }),
            _ => Add(new SpecNode { Kind = NodeKind.Unary, Op = "Identity", Inputs = [v] }),
        };
        // Fusion forwards x · 1 only out of a group of two or more ops: x · 1 · 1, x · 1 / 1, or TF's dropout at a constant 1.
        int times = _rng.Next(3) switch
        {
            0 => Add(new SpecNode { Kind = NodeKind.Dropout, Inputs = [read], Param = 1f, Fed = false, ValueSeed = _rng.Next(1, 1000) }),
            _ => TimesOne(TimesOne(read, "Mul"), _rng.Next(2) == 0 ? "Mul" : "RealDiv"),
        };
        _forceFetch.Add(times);
        UpdateVariable(v);
    }

    /// <summary>The tutorial's shape of network: relu(round(x)·W + b), a loss (cross-entropy or a sum of squares), and a
    /// gradient descent step over W and b — the sparse Xᵀ·dH weight gradient and the ReLU gradient included.</summary>
    private void TrainMove()
    {
        int x = Add(new SpecNode { Kind = NodeKind.Unary, Op = "Round", Inputs = [Leaf([D0, D1], ValueKind.Binarisable, NodeKind.Placeholder)] });
        int w = Leaf([D1, D2], ValueKind.Ordinary, NodeKind.Variable), b = Leaf([D2], ValueKind.Ordinary, NodeKind.Variable);
        int product = Add(new SpecNode { Kind = NodeKind.MatMul, Inputs = [x, w] });
        int h = Add(new SpecNode { Kind = NodeKind.Unary, Op = "Relu", Inputs = [Add(new SpecNode { Kind = NodeKind.Binary, Op = "Add", Inputs = [product, b] })] });
        int loss = _rng.Next(2) == 0
            ? Add(new SpecNode { Kind = NodeKind.CrossEntropy, Inputs = [Leaf([D0, D2], ValueKind.Binarisable, NodeKind.Placeholder), h], Shape = [D0] })
            : Add(new SpecNode { Kind = NodeKind.Unary, Op = "Square", Inputs = [h] });
        loss = Add(new SpecNode { Kind = NodeKind.Reduce, Op = _rng.Next(2) == 0 ? "Mean" : "Sum", Inputs = [loss] });
        _forceFetch.Add(loss);
        bool adam = _rng.Next(3) == 0;
        Add(new SpecNode { Kind = NodeKind.Minimize, Op = adam ? "Adam" : "", Inputs = [loss], Param = adam ? Pick([0.001f, 0.1f]) : Pick([0.04f, 0.5f]) },
            pool: false);
        _pool.RemoveAll(i => _aliasOf[i] == w || _aliasOf[i] == b);
        if (_rng.Next(2) == 0) _forceFetch.Add(Add(new SpecNode { Kind = NodeKind.ReadAfter, Inputs = [w, _nodes.Count - 1], Shape = [D1, D2] }));
    }

    private int TimesOne(int x, string op)
    {
        int one = Const([], ValueKind.Ones);
        return Add(new SpecNode { Kind = NodeKind.Binary, Op = op, Inputs = op == "Mul" && _rng.Next(2) == 0 ? [one, x] : [x, one] });
    }

    private void UpdateVariable(int v)
    {
        var shape = _nodes[v].Shape;
        int value = FindOrLeaf(shape);
        var kind = _rng.Next(5) switch { 0 or 1 => NodeKind.Assign, 2 or 3 => NodeKind.ApplyGradientDescent, _ => NodeKind.ApplyAdam };
        int update = Add(new SpecNode
        {
            Kind = kind, Inputs = [v, value], Shape = shape, Param = Pick([0.5f, 0.04f, 1f]), Fed = _rng.Next(2) == 0,
        }, pool: false);
        // Whatever may share the variable's storage would now race with the update: later nodes read ReadAfter instead.
        _pool.RemoveAll(i => _aliasOf[i] == v);
        if (_rng.Next(3) != 0) Add(new SpecNode { Kind = NodeKind.ReadAfter, Inputs = [v, update], Shape = shape });
    }

    private int Add(SpecNode node, bool pool = true)
    {
        var shape = node.Kind switch
        {
            NodeKind.Unary or NodeKind.Dropout or NodeKind.Softmax => _nodes[node.Inputs[0]].Shape,
            NodeKind.Binary => Broadcast(_nodes[node.Inputs[0]].Shape, _nodes[node.Inputs[1]].Shape),
            NodeKind.BiasAdd => _nodes[node.Inputs[0]].Shape,
            NodeKind.MatMul => MatMulShape(node),
            NodeKind.Reduce when node.Shape.Length == 0 && node.Axis < 0 => [],
            NodeKind.ScalarSummary or NodeKind.HistogramSummary => [],
            _ => node.Shape,
        };
        int index = _nodes.Count;
        _nodes.Add(node with { Shape = shape });
        bool forwards = node.Kind is NodeKind.Unary && node.Op is "Identity" or "StopGradient" || node.Kind is NodeKind.Reshape;
        _aliasOf.Add(node.Kind switch
        {
            NodeKind.Variable => index,
            NodeKind.ReadAfter => node.Inputs[0],
            _ when forwards => _aliasOf[node.Inputs[0]],
            _ => -1,
        });
        if (pool && node.Kind is not (NodeKind.ScalarSummary or NodeKind.HistogramSummary)) _pool.Add(index);
        if (node.Kind is NodeKind.ScalarSummary or NodeKind.HistogramSummary) _forceFetch.Add(index);
        return index;
    }

    private int[] MatMulShape(SpecNode node)
    {
        var a = _nodes[node.Inputs[0]].Shape;
        var b = _nodes[node.Inputs[1]].Shape;
        return [node.TransposeA ? a[1] : a[0], node.TransposeB ? b[0] : b[1]];
    }

    private static int[] Broadcast(int[] a, int[] b)
    {
        var (longer, shorter) = a.Length >= b.Length ? (a, b) : (b, a);
        var result = (int[])longer.Clone();
        for (int i = 0; i < shorter.Length; i++)
        {
            int j = longer.Length - shorter.Length + i;
            if (result[j] == One) result[j] = shorter[i];
        }
        return result;
    }

    private int Leaf(int[] shape, ValueKind? values = null, NodeKind? kind = null) => Add(new SpecNode
    {
        Kind = kind ?? _rng.Next(4) switch { 0 or 1 => NodeKind.Placeholder, 2 => NodeKind.Const, _ => NodeKind.Variable },
        Shape = shape, Values = values ?? RandomValueKind(), ValueSeed = _rng.Next(),
    });

    private int Const(int[] shape, ValueKind values) =>
        Add(new SpecNode { Kind = NodeKind.Const, Shape = shape, Values = values, ValueSeed = _rng.Next() });

    private int FindOrLeaf(int[] shape)
    {
        var same = _pool.Where(i => _nodes[i].Shape.SequenceEqual(shape)).ToArray();
        return same.Length > 0 && _rng.Next(3) != 0 ? Pick(same) : Leaf(shape);
    }

    private ValueKind RandomValueKind() => _rng.Next(20) switch
    {
        < 8 => ValueKind.Ordinary, < 15 => ValueKind.Awkward, < 17 => ValueKind.MostlyZero, < 19 => ValueKind.Binarisable,
        _ => _rng.Next(2) == 0 ? ValueKind.Zeros : ValueKind.Ones,
    };

    private int[] RandomShape() => _rng.Next(4) switch { 0 => [D0, D1], 1 => [D1, D2], 2 => [D2], _ => [] };

    /// <summary>Recent nodes more often, so chains grow.</summary>
    private int PickAny() => _pool.Count == 0 ? Leaf([D0, D1])
        : _pool[Math.Max(0, _pool.Count - 1 - (int)(_rng.NextDouble() * _rng.NextDouble() * _pool.Count))];

    private int PickRank2()
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            int x = PickAny();
            if (_nodes[x].Shape.Length == 2) return x;
        }
        return Leaf(_rng.Next(2) == 0 ? [D0, D1] : [D1, D2]);
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];
}
