using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Pad: surrounds the input with zeros, paddings[d] = [before, after] for each axis (Slice's gradient).</summary>
public sealed class PadOp : OpDefinition
{
    public override string Type => "Pad";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var paddings = op.Inputs[1];
        int rank = input.Shape.IsKnownRank ? input.Shape.Rank
            : paddings.Shape.IsKnownRank && paddings.Shape.Rank == 2 && paddings.Shape[0] >= 0 ? paddings.Shape[0] : -1;
        if (rank < 0) return [new(input.DType, Shape.Unknown)];
        if (paddings.Shape.IsKnownRank && !paddings.Shape.IsCompatibleWith(new Shape(rank, 2)))
            throw ShapeError(op, $"paddings '{paddings.Name}' must have shape [{rank}, 2], got {paddings.Shape}");
        var values = ConstantValue.Ints(paddings);
        if (values is null || !input.Shape.IsKnownRank) return [new(input.DType, Shape.UnknownOfRank(rank))];
        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
            dims[d] = input.Shape[d] < 0 ? -1 : input.Shape[d] + values[2 * d] + values[2 * d + 1];
        return [new(input.DType, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var paddings = ctx.Input(1);
        int rank = input.Rank;
        if (paddings.Rank != 2 || paddings.Shape[0] != rank || paddings.Shape[1] != 2)
            throw new InvalidArgumentException($"paddings must be a matrix of shape [{rank}, 2], got [{string.Join(",", paddings.Shape)}] in '{ctx.Op.Name}'");
        Span<int> outShape = stackalloc int[rank];
        Span<int> before = stackalloc int[rank];
        for (int d = 0; d < rank; d++)
        {
            long b = paddings.DType == DType.Int64 ? paddings.Longs[2 * d] : paddings.Ints[2 * d];
            long a = paddings.DType == DType.Int64 ? paddings.Longs[2 * d + 1] : paddings.Ints[2 * d + 1];
            if (b < 0 || a < 0) throw new InvalidArgumentException($"Paddings must be non-negative: {b} {a} in '{ctx.Op.Name}'");
            before[d] = (int)b;
            outShape[d] = input.Shape[d] + (int)(a + b);
        }
        var output = ctx.Output(0, input.DType, outShape);
        Array.Clear(output.Data, 0, output.Size);
        Span<int> zero = stackalloc int[rank];
        zero.Clear();
        BoxCopy.Copy(input.Data, input.Shape, zero, output.Data, outShape, before, input.Shape);
    }

    // TF's _PadGrad: begin = reshape(slice(paddings, [0, 0], stack([rank(x), 1])), [-1]);
    // slice(grad, begin, shape(x)).
    public override GradientFunction Gradient => (op, grads) =>
    {
        var x = op.Inputs[0];
        var a = op.Inputs[1];
        var graph = x.Graph;
        var size = PackOp.Stack([PyArrayOps.Rank(x), 1]);
        Tensor padBefore;
        using (var scope = graph.NameScope("Slice"))
            padBefore = SliceOp.Create(a, ConstOp.Vector(graph, [0, 0], "begin"), size, scope.ScopeName);
        var begin = ReshapeOp.Create(padBefore, [-1]);
        var sizes = PyArrayOps.Shape(x);
        return [SliceOp.Create(grads[0]!, begin, sizes), null];
    };

    public static Tensor Create(Tensor input, Tensor paddings, string name = "Pad") =>
        OpBuilder.Create(input.Graph, "Pad", name, [input, paddings], OpBuilder.T(input.DType), ("Tpaddings", Attr.Type(paddings.DType))).Output;
}
