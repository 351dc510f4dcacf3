using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>
/// Shared shape rule and kernel dispatch of broadcasting elementwise binary ops (Add, Sub,
/// Mul, RealDiv, Maximum, ...). A subclass names the op, gives its function for float, int32
/// and int64, and its gradient.
/// </summary>
public abstract class BinaryOp<TFloat, TInt, TLong> : OpDefinition, ITileKernel
    where TFloat : IBinaryFunction<float> where TInt : IBinaryFunction<int> where TLong : IBinaryFunction<long>
{
    int ITileKernel.TileOperandCount => 2;

    // The same functor over the same element pairs as Compute's whole-tensor paths: same bits. An operand
    // shorter than the tile and longer than one is a row repeated over it (the tile starts at a row).
    void ITileKernel.Tile(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, long first, ulong runState)
    {
        int n = output.Length;
        int row = x.Length != n && x.Length != 1 ? x.Length : y.Length != n && y.Length != 1 ? y.Length : 1;
        ReadOnlySpan<int> full = row > 1 ? [n / row, row] : [n];
        ReadOnlySpan<int> rowShape = [row];
        ReadOnlySpan<int> xShape = x.Length == 1 ? [] : x.Length == n ? full : rowShape;
        ReadOnlySpan<int> yShape = y.Length == 1 ? [] : y.Length == n ? full : rowShape;
        BinaryKernel.Run<float, TFloat>(x, xShape, y, yShape, output, full);
    }

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        if (x.DType != y.DType)
            throw ShapeError(op, $"inputs '{x.Name}' ({x.DType.TfName()}) and '{y.Name}' ({y.DType.TfName()}) must have the same dtype");
        if (!x.Shape.IsKnownRank || !y.Shape.IsKnownRank) return [new(x.DType, Shape.Unknown)];
        var dims = Broadcasting.StaticShape(x.Shape.ToArray(), y.Shape.ToArray())
            ?? throw ShapeError(op, $"'{x.Op.Name}' has shape {x.Shape} and '{y.Op.Name}' has shape {y.Shape}, which do not broadcast");
        return [new(x.DType, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        var (a, b) = (ctx.Input(0), ctx.Input(1));
        Span<int> shape = stackalloc int[Math.Max(a.Rank, b.Rank)];
        if (!Broadcasting.TryShape(a.Shape, b.Shape, shape))
            throw new InvalidArgumentException(
                $"Incompatible shapes: [{string.Join(",", a.Shape)}] vs. [{string.Join(",", b.Shape)}] in '{ctx.Op.Name}' ({ctx.Op.Type})");
        var output = ctx.Output(0, a.DType, shape);
        switch (a.DType)
        {
            case DType.Float when output.Size >= ParallelSplit.MinParallelLength && SplitsByRows(a, b, output, out int grain):
                RunSplit(a, b, output, grain);
                break;
            case DType.Float: BinaryKernel.Run<float, TFloat>(a.Floats, a.Shape, b.Floats, b.Shape, output.Floats, shape); break;
            case DType.Int32: BinaryKernel.Run<int, TInt>(a.Ints, a.Shape, b.Ints, b.Shape, output.Ints, shape); break;
            case DType.Int64: BinaryKernel.Run<long, TLong>(a.Longs, a.Shape, b.Longs, b.Shape, output.Longs, shape); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {a.DType.TfName()}.");
        }
    }

    /// <summary>
    /// Large float outputs (test-set activations) are split over the cores by whole rows of the
    /// broadcast pattern, so each piece is itself a plain broadcast: a full-size operand is cut,
    /// a scalar or a row (a bias) is passed whole.
    /// </summary>
    private static void RunSplit(NDArray a, NDArray b, NDArray output, int grain) =>
        ParallelSplit.For(output.Size, grain, (a: a.FloatArray, b: b.FloatArray, output: output.FloatArray, aSize: a.Size, bSize: b.Size,
            size: output.Size, grain), static (s, start, count) =>
        {
            Span<int> pieceShape = [count / s.grain, s.grain];
            Span<int> rowShape = [s.grain];
            bool aFull = s.aSize == s.size, bFull = s.bSize == s.size;
            BinaryKernel.Run<float, TFloat>(
                aFull ? s.a.AsSpan(start, count) : s.a.AsSpan(0, s.aSize), aFull ? pieceShape : s.aSize == 1 ? [] : rowShape,
                bFull ? s.b.AsSpan(start, count) : s.b.AsSpan(0, s.bSize), bFull ? pieceShape : s.bSize == 1 ? [] : rowShape,
                s.output.AsSpan(start, count), pieceShape);
        });

    /// <summary>
    /// Whether the output can be cut into independent pieces: one operand full-size and the
    /// other full-size, a scalar, or a trailing row (then cut at multiples of its length).
    /// </summary>
    private static bool SplitsByRows(NDArray a, NDArray b, NDArray output, out int grain)
    {
        grain = 1;
        bool aFull = a.Size == output.Size, bFull = b.Size == output.Size;
        if (aFull && bFull) return true;
        if (!aFull && !bFull) return false;
        var small = aFull ? b : a;
        if (small.Size == 1) return true;
        var shape = output.Shape;
        int lead = 0;
        while (lead < small.Rank && small.Shape[lead] == 1) lead++;
        var core = small.Shape.AsSpan(lead);
        if (core.Length > shape.Length || !core.SequenceEqual(shape.AsSpan(shape.Length - core.Length))) return false;
        grain = small.Size;
        return true;
    }

    /// <summary>Creates the op the way TF's generated wrapper does (name scope, then the node).</summary>
    protected static Tensor Build(string type, Tensor x, Tensor y, string name) => Tensor.Binary(type, x, y, name);
}

// Arithmetic functors shared by the binary ops and their gradients.
public readonly struct AddFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a + b;
}

public readonly struct SubFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a - b;
}

public readonly struct MulFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a * b;
}

public readonly struct DivFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a / b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a / b;
}
