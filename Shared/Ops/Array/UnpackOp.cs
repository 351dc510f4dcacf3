using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Unpack (tf.unstack): splits a tensor along an axis into <c>num</c> tensors of one rank less.</summary>
public sealed class UnpackOp : OpDefinition
{
    public override string Type => "Unpack";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        int num = (int)op.Attrs.GetInt("num");
        if (!input.Shape.IsKnownRank)
            return Enumerable.Repeat(new OutputSpec(input.DType, Shape.Unknown), num).ToArray();
        int rank = input.Shape.Rank;
        int axis = (int)op.Attrs.GetInt("axis", 0);
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ShapeError(op, $"axis {axis} is out of range for '{input.Name}' of rank {rank}");
        if (input.Shape[a] >= 0 && input.Shape[a] != num)
            throw ShapeError(op, $"num = {num} but '{input.Name}' has {input.Shape[a]} entries along axis {a}");
        var dims = input.Shape.ToArray().Where((_, i) => i != a).ToArray();
        return Enumerable.Repeat(new OutputSpec(input.DType, new Shape(dims)), num).ToArray();
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        int rank = input.Rank, num = ctx.OutputCount;
        int axis = (int)ctx.Op.Attrs.GetInt("axis", 0);
        if (axis < 0) axis += rank;
        if (input.Shape[axis] != num)
            throw new InvalidArgumentException($"Input shape axis {axis} must equal {num}, got shape [{string.Join(",", input.Shape)}] in '{ctx.Op.Name}'");
        Span<int> outShape = stackalloc int[rank - 1];
        int outer = 1;
        for (int i = 0, j = 0; i < rank; i++)
        {
            if (i == axis) continue;
            outShape[j++] = input.Shape[i];
            if (i < axis) outer *= input.Shape[i];
        }
        int inner = num == 0 ? 0 : input.Size / Math.Max(outer * num, 1);
        for (int k = 0; k < num; k++)
        {
            var output = ctx.Output(k, input.DType, outShape);
            for (int o = 0; o < outer; o++)
                Array.Copy(input.Data, (o * num + k) * inner, output.Data, o * inner, inner);
        }
    }

    // TF's _UnpackGrad: stack(grads, axis=axis) — a Pack named "stack".
    public override GradientFunction Gradient => (op, grads) =>
        [PackOp.Create(grads.Select(g => g!).ToArray(), (int)op.Attrs.GetInt("axis", 0), "stack")];

    public static Tensor[] Create(Tensor value, int num, int axis = 0, string name = "unstack") =>
        OpBuilder.Create(value.Graph, "Unpack", name, [value],
            ("num", Attr.Int(num)), OpBuilder.T(value.DType), ("axis", Attr.Int(axis))).Outputs.ToArray();
}
