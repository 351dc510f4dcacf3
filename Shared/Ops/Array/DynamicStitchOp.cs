using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// DynamicStitch: merged[indices[m][i], ...] = data[m][i, ...], later inputs winning ties
/// (math_ops.reduced_shape builds the kept-dims shape with it).
/// </summary>
public sealed class DynamicStitchOp : OpDefinition
{
    public override string Type => "DynamicStitch";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        int n = op.Inputs.Count / 2;
        var data0 = op.Inputs[n];
        var indices0 = op.Inputs[0];
        int maxIndex = -1;
        bool allKnown = true;
        for (int m = 0; m < n; m++)
        {
            var idx = ConstantValue.Ints(op.Inputs[m]);
            if (idx is null) { allKnown = false; break; }
            foreach (int v in idx) maxIndex = Math.Max(maxIndex, v);
        }
        if (!data0.Shape.IsKnownRank || !indices0.Shape.IsKnownRank) return [new(data0.DType, Shape.Unknown)];
        var inner = data0.Shape.ToArray().Skip(indices0.Shape.Rank);
        return [new(data0.DType, new Shape([allKnown ? maxIndex + 1 : -1, .. inner]))];
    }

    public override void Compute(KernelContext ctx)
    {
        int n = ctx.InputCount / 2;
        int maxIndex = -1;
        for (int m = 0; m < n; m++)
            foreach (int v in ctx.Input(m).Ints)
                maxIndex = Math.Max(maxIndex, v);
        var data0 = ctx.Input(n);
        int indexRank = ctx.Input(0).Rank;
        int innerRank = data0.Rank - indexRank;
        Span<int> outShape = stackalloc int[1 + innerRank];
        outShape[0] = maxIndex + 1;
        int inner = 1;
        for (int d = 0; d < innerRank; d++) inner *= outShape[1 + d] = data0.Shape[indexRank + d];
        var output = ctx.Output(0, data0.DType, outShape);
        for (int m = 0; m < n; m++)
        {
            var indices = ctx.Input(m).Ints;
            var data = ctx.Input(n + m);
            if (data.Size != indices.Length * inner)
                throw new InvalidArgumentException($"data[{m}] does not match indices[{m}] in '{ctx.Op.Name}'");
            for (int i = 0; i < indices.Length; i++)
            {
                if (indices[i] < 0) throw new InvalidArgumentException($"indices[{m}][{i}] = {indices[i]} is negative in '{ctx.Op.Name}'");
                Array.Copy(data.Data, i * inner, output.Data, indices[i] * inner, inner);
            }
        }
    }

    // TF's _DynamicStitchGrads gathers the gradient at each index list; this engine has no
    // Gather yet, so asking for it fails naming the op (the engine only stitches int shapes).
    public override GradientFunction Gradient => (op, _) =>
        throw new NotSupportedException($"The gradient of '{op.Name}' (DynamicStitch) needs Gather, which this engine lacks.");

    public static Tensor Create(IReadOnlyList<Tensor> indices, IReadOnlyList<Tensor> data, string name = "DynamicStitch") =>
        OpBuilder.Create(indices[0].Graph, "DynamicStitch", name, [.. indices, .. data],
            ("N", Attr.Int(indices.Count)), OpBuilder.T(data[0].DType)).Output;
}
