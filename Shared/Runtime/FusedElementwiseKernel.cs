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
    }

    public override string Type => "_FusedElementwise";

    public override void Compute(KernelContext ctx)
    {
        try
        {
            if (Prepare())
                ParallelSplit.For(_length, Math.Max(16, _rowLength), this, static (self, start, count) => self.RunTiles(start, count));
            else
                RunUnfused();
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
            _outputs[m] = _group.Exported[m] ? Members[m].Output(0, DType.Float, shape).FloatArray : null;
        for (int m = 0; m < Members.Length; m++)
            _runStates[m] = _kernels[m].BeginRun(Members[m]);
        return true;
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
