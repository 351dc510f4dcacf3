using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Tile: repeats the input <c>multiples[i]</c> times along each axis i.</summary>
public sealed class TileOp : OpDefinition
{
    public override string Type => "Tile";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var multiples = ConstantValue.Ints(op.Inputs[1]);
        if (!input.Shape.IsKnownRank) return [new(input.DType, Shape.Unknown)];
        if (multiples is null) return [new(input.DType, Shape.UnknownOfRank(input.Shape.Rank))];
        if (multiples.Length != input.Shape.Rank)
            throw ShapeError(op, $"multiples has {multiples.Length} entries for '{input.Name}' of rank {input.Shape.Rank}");
        return [new(input.DType, new Shape(input.Shape.Dims.Select((d, i) => d < 0 ? -1 : d * multiples[i]).ToArray()))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var multiples = ctx.Input(1).Ints;
        if (multiples.Length != input.Rank)
            throw new InvalidArgumentException($"Expected multiples of length {input.Rank} in '{ctx.Op.Name}', got {multiples.Length}.");
        int rank = input.Rank;
        Span<int> outShape = stackalloc int[Math.Max(rank, 1)];
        outShape = outShape[..rank];
        for (int i = 0; i < rank; i++) outShape[i] = input.Shape[i] * multiples[i];
        var output = ctx.Output(0, input.DType, outShape);
        if (output.Size == 0) return;
        // Walk output indices; the source index is the output index modulo the input dims.
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        Span<int> inStrides = stackalloc int[Math.Max(rank, 1)];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) { inStrides[d] = stride; stride *= input.Shape[d]; }
        for (int o = 0; o < output.Size; o++)
        {
            int src = 0;
            for (int d = 0; d < rank; d++) src += (index[d] % input.Shape[d]) * inStrides[d];
            Array.Copy(input.Data, src, output.Data, o, 1);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < outShape[d]) break;
                index[d] = 0;
            }
        }
    }

    // Sum the gradient over the tiled copies: reshape to [m0, d0, m1, d1, ...] and reduce the m axes.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var input = op.Inputs[0];
        var multiples = ConstantValue.Ints(op.Inputs[1]);
        if (multiples is null || !input.Shape.IsFullyDefined)
            throw new NotSupportedException($"The gradient of '{op.Name}' (Tile) needs constant multiples and a known input shape.");
        var dims = input.Shape.ToArray();
        var split = dims.SelectMany((d, i) => new[] { multiples[i], d }).ToArray();
        var axes = Enumerable.Range(0, dims.Length).Select(i => 2 * i).ToArray();
        var reshaped = ReshapeOp.Create(grads[0]!, split);
        return [SumOp.Create(reshaped, axes), null];
    };

    public static Tensor Create(Tensor input, Tensor multiples, string name = "Tile") =>
        OpBuilder.Create(input.Graph, "Tile", name, [input, multiples], OpBuilder.T(input.DType), ("Tmultiples", Attr.Type(DType.Int32))).Output;
}
