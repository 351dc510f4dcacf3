using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>Squeeze: removes dimensions of size 1 (those in squeeze_dims, or all when it is empty); a zero-copy view.</summary>
public sealed class SqueezeOp : OpDefinition
{
    public override string Type => "Squeeze";
    public override int? ForwardedInput => 0;

    private static int[] Dims(Operation op) =>
        op.Attrs.Contains("squeeze_dims") ? op.Attrs.Get("squeeze_dims").List.I.Select(v => (int)v).ToArray() : [];

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        if (!input.Shape.IsKnownRank) return [new(input.DType, Shape.Unknown)];
        int rank = input.Shape.Rank;
        var requested = Dims(op);
        var squeeze = new bool[rank];
        foreach (int s in requested)
        {
            int d = s < 0 ? s + rank : s;
            if (d < 0 || d >= rank) throw ShapeError(op, $"squeeze dim {s} is out of range for '{input.Name}' of shape {input.Shape}");
            if (input.Shape[d] > 1 || input.Shape[d] == 0)
                throw ShapeError(op, $"can not squeeze dim[{d}], expected a dimension of 1, got {input.Shape[d]} for '{input.Op.Name}' {input.Shape}");
            squeeze[d] = true;
        }
        var dims = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            int size = input.Shape[d];
            if (requested.Length == 0)
            {
                if (size == -1) return [new(input.DType, Shape.Unknown)]; // might be 1 at run time
                if (size == 1) continue;
            }
            else if (squeeze[d]) continue;
            dims.Add(size);
        }
        return [new(input.DType, new Shape(dims.ToArray()))];
    }

    private sealed record Cached(int[] Dims);

    public override void Prepare(Operation op) => op.KernelCache ??= new Cached(Dims(op));

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var requested = ((Cached)ctx.Op.KernelCache!).Dims;
        int rank = input.Rank;
        Span<int> shape = stackalloc int[rank];
        int n = 0;
        for (int d = 0; d < rank; d++)
        {
            int size = input.Shape[d];
            bool drop;
            if (requested.Length == 0) drop = size == 1;
            else
            {
                drop = false;
                foreach (int s in requested)
                    if ((s < 0 ? s + rank : s) == d) drop = true;
                if (drop && size != 1)
                    throw new InvalidArgumentException($"Can not squeeze dim[{d}], expected a dimension of 1, got {size} in '{ctx.Op.Name}'");
            }
            if (!drop) shape[n++] = size;
        }
        ctx.SetOutputView(0, input, shape[..n]);
    }

    // TF's _SqueezeGrad: reshape(grad, shape(x)).
    public override GradientFunction Gradient => (op, grads) =>
        [ReshapeOp.Create(grads[0]!, PyArrayOps.Shape(op.Inputs[0]))];

    /// <summary>tf.squeeze(input, axis): attrs T and squeeze_dims (always written, empty for "all").</summary>
    public static Tensor Create(Tensor input, int[]? squeezeDims = null, string name = "Squeeze") =>
        OpBuilder.Create(input.Graph, "Squeeze", name, [input], OpBuilder.T(input.DType),
            ("squeeze_dims", Attr.IntList((squeezeDims ?? []).Select(d => (long)d)))).Output;
}
