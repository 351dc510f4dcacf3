using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Range: [start, start + delta, ...) up to limit, as a 1-D tensor of Tidx (int32, int64 or float).</summary>
public sealed class RangeOp : OpDefinition
{
    public override string Type => "Range";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var dtype = op.Attrs.GetType("Tidx");
        foreach (var input in op.Inputs)
            if (input.Shape.IsKnownRank && input.Shape.Rank != 0)
                throw ShapeError(op, $"'{input.Name}' must be a scalar, but has shape {input.Shape}");
        var start = ConstantValue.Of(op.Inputs[0]);
        var limit = ConstantValue.Of(op.Inputs[1]);
        var delta = ConstantValue.Of(op.Inputs[2]);
        if (start is null || limit is null || delta is null) return [new(dtype, new Shape(-1))];
        return [new(dtype, new Shape(Count(start.ScalarFloat(), limit.ScalarFloat(), delta.ScalarFloat(), op.Name)))];
    }

    private static int Count(double start, double limit, double delta, string name)
    {
        if (delta == 0) throw new InvalidArgumentException($"Requires delta != 0 in '{name}'.");
        if (delta > 0 ? start > limit : start < limit)
            throw new InvalidArgumentException($"Requires start {(delta > 0 ? "<=" : ">=")} limit when delta {(delta > 0 ? ">" : "<")} 0: {start}/{limit} in '{name}'.");
        return (int)Math.Ceiling(Math.Abs((limit - start) / delta));
    }

    public override void Compute(KernelContext ctx)
    {
        var (start, limit, delta) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        var dtype = ctx.Op.Outputs[0].DType;
        if (dtype is DType.Int32 or DType.Int64)
        {
            long s = start.ScalarLong(), l = limit.ScalarLong(), d = delta.ScalarLong();
            int n = d == 0 ? Count(0, 0, 0, ctx.Op.Name) : Count(s, l, d, ctx.Op.Name);
            var output = ctx.Output(0, dtype, [n]);
            if (dtype == DType.Int32) { var o = output.Ints; for (int i = 0; i < n; i++) o[i] = (int)(s + i * d); }
            else { var o = output.Longs; for (int i = 0; i < n; i++) o[i] = s + i * d; }
        }
        else if (dtype == DType.Float)
        {
            float s = start.ScalarFloat(), l = limit.ScalarFloat(), d = delta.ScalarFloat();
            int n = Count(s, l, d, ctx.Op.Name);
            var o = ctx.Output(0, dtype, [n]).Floats;
            for (int i = 0; i < n; i++) o[i] = s + i * d;
        }
        else throw new NotSupportedException($"'{ctx.Op.Name}' (Range) does not support {dtype.TfName()}.");
    }

    /// <summary>The raw Range node.</summary>
    public static Tensor Create(Tensor start, Tensor limit, Tensor delta, string name = "Range") =>
        OpBuilder.Create(start.Graph, "Range", name, [start, limit, delta], ("Tidx", Attr.Type(start.DType))).Output;

    /// <summary>
    /// math_ops.range(limit) (Python's range(n) in TF code): scope "range" with constants
    /// "range/start" = 0 and "range/delta" = 1, then the "range" node.
    /// </summary>
    public static Tensor Range(Tensor limit, string name = "range")
    {
        var graph = limit.Graph;
        using var scope = graph.NameScope(name);
        var start = ConstOp.Scalar(graph, 0f, limit.DType, "start");
        var delta = ConstOp.Scalar(graph, 1f, limit.DType, "delta");
        // TF casts all three to the inferred dtype; casts of equal types only take the names.
        start = CastOp.CastIfNeeded(start, limit.DType);
        limit = CastOp.CastIfNeeded(limit, limit.DType);
        delta = CastOp.CastIfNeeded(delta, limit.DType);
        return Create(start, limit, delta, scope.ScopeName);
    }
}
