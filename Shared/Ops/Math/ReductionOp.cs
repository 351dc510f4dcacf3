using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>
/// Shared shape rule and dispatch of reductions over axes given as an int32 tensor (Sum, Mean,
/// Max, Min, Prod), with TF's keep_dims and Tidx attrs.
/// </summary>
public abstract class ReductionOp : OpDefinition
{
    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        bool keepDims = op.Attrs.GetBool("keep_dims", false);
        var axes = ConstantValue.Ints(op.Inputs[1]);
        if (axes is null || !input.Shape.IsKnownRank) return [new(input.DType, Shape.Unknown)];
        var mask = Reduction.AxisMask(input.Shape.Rank, axes, op.Name);
        return [new(input.DType, new Shape(Reduction.OutputShape(input.Shape.ToArray(), mask, keepDims)))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        Span<bool> mask = stackalloc bool[input.Rank];
        Reduction.AxisMask(ctx.Input(1).Ints, ctx.Op.Name, mask);
        bool keepDims = ctx.Op.Attrs.GetBool("keep_dims", false);
        Span<int> shape = stackalloc int[input.Rank];
        int rank = Reduction.OutputShape(input.Shape, mask, keepDims, shape);
        var output = ctx.Output(0, input.DType, shape[..rank]);
        Reduce(ctx, input, mask, output);
    }

    protected abstract void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output);

    protected static NotSupportedException Unsupported(KernelContext ctx, NDArray input) =>
        new($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {input.DType.TfName()}.");

    protected static Tensor Build(string type, Tensor x, Tensor axes, bool keepDims, string name)
    {
        using var scope = x.Graph.NameScope(name);
        return OpBuilder.Create(x.Graph, type, scope.ScopeName, [x, axes],
            ("T", Attr.Type(x.DType)), ("Tidx", Attr.Type(DType.Int32)), ("keep_dims", Attr.Bool(keepDims))).Output;
    }

    /// <summary>With literal axes, stored as "&lt;name&gt;/reduction_indices" as TF does.</summary>
    protected static Tensor Build(string type, Tensor x, int[] axes, bool keepDims, string name)
    {
        using var scope = x.Graph.NameScope(name);
        var axesTensor = ConstOp.Vector(x.Graph, axes, "reduction_indices");
        return OpBuilder.Create(x.Graph, type, scope.ScopeName, [x, axesTensor],
            ("T", Attr.Type(x.DType)), ("Tidx", Attr.Type(DType.Int32)), ("keep_dims", Attr.Bool(keepDims))).Output;
    }
}
