using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>An elementwise predicate on two numbers (==, >=, ...).</summary>
public interface IComparison
{
    static abstract bool Apply<T>(T a, T b) where T : INumber<T>;
}

/// <summary>
/// Shared shape rule and kernel of broadcasting comparisons (Equal, GreaterEqual): inputs of
/// one numeric dtype, a bool output of the broadcast shape. TF registers them NotDifferentiable.
/// </summary>
public abstract class ComparisonOp<TCmp> : OpDefinition where TCmp : IComparison
{
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        if (x.DType != y.DType)
            throw ShapeError(op, $"inputs '{x.Name}' ({x.DType.TfName()}) and '{y.Name}' ({y.DType.TfName()}) must have the same dtype");
        if (!x.Shape.IsKnownRank || !y.Shape.IsKnownRank) return [new(DType.Bool, Shape.Unknown)];
        var dims = Broadcasting.StaticShape(x.Shape.ToArray(), y.Shape.ToArray())
            ?? throw ShapeError(op, $"'{x.Op.Name}' has shape {x.Shape} and '{y.Op.Name}' has shape {y.Shape}, which do not broadcast");
        return [new(DType.Bool, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        var (a, b) = (ctx.Input(0), ctx.Input(1));
        int rank = Math.Max(a.Rank, b.Rank);
        Span<int> shape = stackalloc int[rank];
        if (!Broadcasting.TryShape(a.Shape, b.Shape, shape))
            throw new InvalidArgumentException(
                $"Incompatible shapes: [{string.Join(",", a.Shape)}] vs. [{string.Join(",", b.Shape)}] in '{ctx.Op.Name}' ({ctx.Op.Type})");
        var output = ctx.Output(0, DType.Bool, shape).Bools;
        switch (a.DType)
        {
            case DType.Float: Run<float>(a.Floats, a.Shape, b.Floats, b.Shape, output, shape); break;
            case DType.Int32: Run<int>(a.Ints, a.Shape, b.Ints, b.Shape, output, shape); break;
            case DType.Int64: Run<long>(a.Longs, a.Shape, b.Longs, b.Shape, output, shape); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {a.DType.TfName()}.");
        }
    }

    private static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<int> aShape, ReadOnlySpan<T> b, ReadOnlySpan<int> bShape,
        Span<bool> output, ReadOnlySpan<int> outShape) where T : INumber<T>
    {
        if (a.Length == output.Length && b.Length == output.Length)
        {
            for (int i = 0; i < output.Length; i++) output[i] = TCmp.Apply(a[i], b[i]);
            return;
        }
        if (b.Length == 1)
        {
            for (int i = 0; i < output.Length; i++) output[i] = TCmp.Apply(a[i], b[0]);
            return;
        }
        if (a.Length == 1)
        {
            for (int i = 0; i < output.Length; i++) output[i] = TCmp.Apply(a[0], b[i]);
            return;
        }
        // General broadcast: the shared strided walk.
        var visitor = new Compare<T>(a, b, output);
        Broadcasting.Walk(aShape, bShape, outShape, output.Length, ref visitor);
    }

    private ref struct Compare<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> output) : IBroadcastVisitor where T : INumber<T>
    {
        private readonly ReadOnlySpan<T> _a = a, _b = b;
        private readonly Span<bool> _output = output;
        public void Visit(int o, int ia, int ib) => _output[o] = TCmp.Apply(_a[ia], _b[ib]);
    }

    protected static Tensor Build(string type, Tensor x, Tensor y, string name) =>
        OpBuilder.Create(x.Graph, type, name, [x, y], OpBuilder.T(x.DType)).Output;
}

public readonly struct EqualCmp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a == b;
}

public readonly struct GreaterEqualCmp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a >= b;
}

/// <summary>a &lt; b.</summary>
public readonly struct LessCmp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a < b;
}

/// <summary>a &gt; b.</summary>
public readonly struct GreaterCmp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a > b;
}

/// <summary>a &lt;= b.</summary>
public readonly struct LessEqualCmp : IComparison
{
    public static bool Apply<T>(T a, T b) where T : INumber<T> => a <= b;
}
