using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Ops;

namespace TfMnist.Runtime;

/// <summary>
/// Runs one fused group in one run state: checks that this run's operands are full-size or single
/// values, then walks the elements in tiles, each member computing its tile from its operands'
/// tiles; only exported outputs are written to their tensors, the rest live in per-thread scratch.
/// Otherwise (other broadcasting, empty tensors) the members run one by one with their own kernels.
/// </summary>
internal sealed unsafe class FusedElementwiseKernel : FusedKernel
{
    /// <summary>Floats per tile and member: a few members' tiles stay in L1/L2 while all are computed.</summary>
    private const int TileLength = 2048;

    [ThreadStatic] private static ScratchBuffer? t_scratch;

    private readonly ElementwiseLoop _group;
    private readonly ITileKernel[] _kernels;
    private readonly int[] _scratchSlot;   // per member: its tile's index in scratch, -1 when exported
    private readonly int _scratchTiles;
    private readonly NDArray?[] _operands; // this run's outside operands, two per member
    private readonly float[]?[] _outputs;  // this run's exported buffers
    private readonly ulong[] _runStates;
    private readonly bool[] _skipped;      // this run: members whose values nothing needs (see ConstantMasks)
    private readonly float[] _constant;    // this run, for a member in _isConstant: its every element
    private readonly bool[] _isConstant;
    private readonly MaskPattern[] _maskPatterns;
    private bool _forwarded;  // this run: the one exported value is an outside operand, published as it is
    private int _length;
    private int _rowLength;   // > 1 when an operand is a trailing row (a bias): tiles then start at whole rows
    private int _tileLength;

    public FusedElementwiseKernel(ElementwiseLoop group, KernelContext[] members) : base(members)
    {
        _group = group;
        _kernels = members.Select(m => (ITileKernel)m.Kernel).ToArray();
        _scratchSlot = new int[members.Length];
        for (int m = 0; m < members.Length; m++) _scratchSlot[m] = group.Exported[m] ? -1 : _scratchTiles++;
        _operands = new NDArray?[2 * members.Length];
        _outputs = new float[]?[members.Length];
        _runStates = new ulong[members.Length];
        _skipped = new bool[members.Length];
        _constant = new float[members.Length];
        _isConstant = new bool[members.Length];
        _maskPatterns = FindMaskPatterns(group, members);
    }

    /// <summary>
    /// TF 1.x dropout's mask, floor(keep_prob + random_uniform(shape)), as members: a Floor of a chain of Adds and
    /// Muls, each of one value from outside, ending at a RandomUniform (tf.random_uniform is itself U·(max - min) +
    /// min). No link but the Floor is exported or read by another member.
    /// </summary>
    private static MaskPattern[] FindMaskPatterns(ElementwiseLoop group, KernelContext[] members)
    {
        var found = new List<MaskPattern>();
        for (int f = 0; f < members.Length; f++)
        {
            if (members[f].Op.Type != "Floor") continue;
            var links = new List<(int Member, int Outside)>();
            int reader = f, current = group.Sources[f][0];
            while (current >= 0 && !group.Exported[current] && ReadOnlyBy(group, current, reader))
            {
                if (members[current].Op.Type == "RandomUniform")
                {
                    links.Reverse();
                    found.Add(new MaskPattern(f, current, [.. links]));
                    break;
                }
                var sources = group.Sources[current];
                if (members[current].Op.Type is not ("Add" or "Mul") || (sources[0] >= 0) == (sources[1] >= 0)) break;
                int inside = sources[0] >= 0 ? 0 : 1;
                links.Add((current, 1 - inside));
                (reader, current) = (current, sources[inside]);
            }
        }
        return [.. found];
    }

    private static bool ReadOnlyBy(ElementwiseLoop group, int member, int reader) =>
        Enumerable.Range(0, group.Sources.Length).All(m => m == reader || !group.Sources[m].Contains(member));

    /// <summary>A Floor, the RandomUniform it is computed from, and the Add/Mul links between (from the uniform up), each with its outside operand's index.</summary>
    private sealed record MaskPattern(int Floor, int Random, (int Member, int Outside)[] Links);

    /// <summary>
    /// Marks the dropout masks that are one value this run. Each link (x + c, x · c) is monotonic in x and so is
    /// floor, so when the chain gives the same floor at both ends of the uniform's range [0, 1 - 2^-23], it gives it
    /// everywhere — at keep_prob 1, the test pass's, the mask is 1. The links and the RandomUniform are then skipped
    /// (the generator has still drawn this run's start, so later runs' values do not change) and the Floor's tiles
    /// filled with that value: the bits of computing them.
    /// </summary>
    private void ConstantMasks()
    {
        Array.Clear(_skipped);
        Array.Clear(_isConstant);
        foreach (var pattern in _maskPatterns)
        {
            float low = 0f, high = RandomGenerator.UnitFloat(ulong.MaxValue);
            bool scalars = true;
            foreach (var (member, outside) in pattern.Links)
            {
                var operand = _operands[2 * member + outside]!;
                if (operand.Size != 1) { scalars = false; break; }
                float c = operand.Floats[0];
                (low, high) = Members[member].Op.Type == "Add" ? (low + c, high + c) : (low * c, high * c);
            }
            if (!scalars) continue;
            (low, high) = (MathF.Floor(low), MathF.Floor(high));
            if (low != high || !float.IsFinite(low)) continue;
            _skipped[pattern.Random] = true;
            foreach (var (member, _) in pattern.Links) _skipped[member] = true;
            _isConstant[pattern.Floor] = true;
            _constant[pattern.Floor] = low;
            t_constantMasks++;
        }
    }

    [ThreadStatic] private static long t_constantMasks;

    /// <summary>
    /// How many masks runs on this thread have found constant: for tests, which must see the shortcut taken, and
    /// per thread so that other tests running at the same time cannot take it for them.
    /// </summary>
    internal static long ConstantMasksFound => t_constantMasks;

    [ThreadStatic] private static long t_identitiesForwarded;

    /// <summary>How many runs on this thread published an outside operand as the group's value (see <see cref="IdentityOf"/>); for tests.</summary>
    internal static long IdentitiesForwarded => t_identitiesForwarded;

    public override string Type => "_FusedElementwise";

    public override void Compute(KernelContext ctx)
    {
        KernelProbe.Took(KernelProbe.Path.FusedStep);
        try
        {
            _forwarded = false;
            if (!Prepare())
                RunUnfused();
            else if (!_forwarded)
                ParallelSplit.For(_length, Math.Max(16, _rowLength), this, static (self, start, count) => self.RunTiles(start, count));
        }
        finally
        {
            // Drop this run's values (feeds among them), as the session drops its slots after a run.
            Array.Clear(_operands);
            Array.Clear(_outputs);
        }
    }

    /// <summary>
    /// This run's shapes: true when every member covers the same elements, its outside operands being
    /// full-size, single values or a trailing row (a bias, whose period then aligns the tiles); then
    /// outputs and run states are set. The full shape is the largest operand's or a source's.
    /// </summary>
    private bool Prepare()
    {
        ReadOnlySpan<int> shape = default;
        int size = -1;
        for (int m = 0; m < Members.Length; m++)
        {
            var kernel = _kernels[m];
            if (kernel.TileOperandCount == 0)
            {
                var source = kernel.SourceShape(Members[m]);
                if (NDArray.ElementCount(source) > size) { shape = source; size = NDArray.ElementCount(source); }
            }
            for (int j = 0; j < kernel.TileOperandCount; j++)
            {
                if (_group.Sources[m][j] >= 0) continue;
                var value = Members[m].Input(j);
                if (value.DType != DType.Float) return false;
                _operands[2 * m + j] = value;
                if (value.Size > size) { shape = value.Shape; size = value.Size; }
            }
        }
        if (size <= 0) return false;
        _rowLength = 1;
        for (int m = 0; m < Members.Length; m++)
        {
            var kernel = _kernels[m];
            bool full = kernel.TileOperandCount == 0 && kernel.SourceShape(Members[m]).SequenceEqual(shape);
            if (kernel.TileOperandCount == 0 && !full) return false;
            for (int j = 0; j < kernel.TileOperandCount; j++)
            {
                if (_group.Sources[m][j] >= 0) { full = true; continue; }
                var value = _operands[2 * m + j]!;
                if (value.ShapeEquals(shape)) full = true;
                else if (value.Size == 1 ? value.Rank > shape.Length : !IsTrailingRow(value, shape)) return false;
                else if (value.Size > 1)
                {
                    if (_rowLength > 1 && _rowLength != value.Size) return false;
                    _rowLength = value.Size;
                }
            }
            if (!full) return false; // this member would make fewer elements than the group
        }
        _length = size;
        _tileLength = _rowLength * Math.Max(1, TileLength / _rowLength);
        for (int m = 0; m < Members.Length; m++)
            _runStates[m] = _kernels[m].BeginRun(Members[m]);
        ConstantMasks();
        if (Array.IndexOf(_group.Exported, true) is int e && e >= 0 && Array.LastIndexOf(_group.Exported, true) == e
            && IdentityOf(e) is { } identity && identity.ShapeEquals(shape))
        {
            Members[e].SetOutput(0, identity);
            _forwarded = true;
            t_identitiesForwarded++;
            return true;
        }
        for (int m = 0; m < Members.Length; m++)
            _outputs[m] = _group.Exported[m] ? Members[m].Output(0, DType.Float, shape).FloatArray : null;
        return true;
    }

    /// <summary>
    /// The outside operand x that <paramref name="member"/> equals this run, when it is x · 1, 1 · x or x / 1 (the
    /// ones constant masks or single values of 1), through any such chain: TF's dropout at keep_prob 1,
    /// x / 1 · floor(1 + U) with a constant mask. Multiplying or dividing by 1 returns x's bits for every float
    /// (±0, infinities, subnormals, quiet NaNs with their payloads) but a signalling NaN, which the arithmetic
    /// would quiet; so the group publishes x itself and computes nothing (the test pass's 10000x100 dropout).
    /// </summary>
    private NDArray? IdentityOf(int member)
    {
        if (_skipped[member] || _isConstant[member]) return null;
        string type = Members[member].Op.Type;
        if (type is not ("Mul" or "RealDiv")) return null;
        var sources = _group.Sources[member];
        for (int side = 0; side < (type == "Mul" ? 2 : 1); side++)
        {
            if (!IsOne(member, 1 - side)) continue;
            if (sources[side] >= 0)
            {
                if (IdentityOf(sources[side]) is { } inner) return inner;
            }
            else if (_operands[2 * member + side] is { Size: var size } x && size == _length && !ForwardedStorage.IsVariable(Members[member].Op.Inputs[side]))
                return x;
        }
        return null;
    }

    /// <summary>Whether operand <paramref name="j"/> of <paramref name="member"/> is 1 everywhere this run.</summary>
    private bool IsOne(int member, int j)
    {
        int source = _group.Sources[member][j];
        if (source >= 0) return _isConstant[source] && _constant[source] == 1f;
        return _operands[2 * member + j] is { Size: 1 } value && value.Floats[0] == 1f;
    }

    /// <summary>Whether <paramref name="value"/>, leading 1s aside, is the trailing dimensions of <paramref name="shape"/> (it broadcasts as a repeated row).</summary>
    private static bool IsTrailingRow(NDArray value, ReadOnlySpan<int> shape)
    {
        var dims = value.Shape.AsSpan();
        int lead = 0;
        while (lead < dims.Length && dims[lead] == 1) lead++;
        var core = dims[lead..];
        return value.Rank <= shape.Length && core.Length < shape.Length && core.SequenceEqual(shape[(shape.Length - core.Length)..]);
    }

    private void RunTiles(int start, int count)
    {
        int tileLength = _tileLength;
        float* scratch = (t_scratch ??= new ScratchBuffer()).Get<float>((nint)Math.Max(1, _scratchTiles) * tileLength);
        for (int t0 = start, end = start + count; t0 < end; t0 += tileLength)
        {
            int n = Math.Min(tileLength, end - t0);
            for (int m = 0; m < Members.Length; m++)
            {
                if (_skipped[m]) continue;
                if (_isConstant[m])
                {
                    Tile(m, t0, n, scratch).Fill(_constant[m]);
                    continue;
                }
                var kernel = _kernels[m];
                int operands = kernel.TileOperandCount;
                kernel.Tile(
                    operands > 0 ? Operand(m, 0, t0, n, scratch) : default,
                    operands > 1 ? Operand(m, 1, t0, n, scratch) : default,
                    Tile(m, t0, n, scratch), t0, _runStates[m]);
            }
        }
    }

    private ReadOnlySpan<float> Operand(int m, int j, int t0, int n, float* scratch)
    {
        int source = _group.Sources[m][j];
        if (source >= 0) return Tile(source, t0, n, scratch);
        var value = _operands[2 * m + j]!;
        return value.Size == _length ? new ReadOnlySpan<float>(value.FloatArray, t0, n) : value.Floats; // full, or a scalar or row whole
    }

    private Span<float> Tile(int m, int t0, int n, float* scratch) =>
        _outputs[m] is { } output ? new Span<float>(output, t0, n) : new Span<float>(scratch + (nint)_scratchSlot[m] * _tileLength, n);
}
