using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// ConcatOffset: for a concat along <c>concat_dim</c> of tensors with the given shapes, where
/// each input starts in the result (zeros except the running sum along the axis).
/// </summary>
public sealed class ConcatOffsetOp : OpDefinition
{
    public override string Type => "ConcatOffset";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        op.Inputs.Skip(1).Select(s => new OutputSpec(DType.Int32, s.Shape)).ToArray();

    public override void Compute(KernelContext ctx)
    {
        int n = ctx.InputCount - 1;
        var first = ctx.Input(1).Ints;
        int rank = first.Length;
        int axis = ctx.Input(0).Ints[0];
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank)
            throw new InvalidArgumentException($"Concat dim is out of range: {ctx.Input(0).Ints[0]} vs. {rank} in '{ctx.Op.Name}'");
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            var shape = ctx.Input(i + 1).Ints;
            if (shape.Length != rank)
                throw new InvalidArgumentException($"input {i} should contain {rank} elements, but got {shape.Length} in '{ctx.Op.Name}'");
            var output = ctx.Output(i, DType.Int32, [rank]).Ints;
            output.Clear();
            for (int d = 0; d < rank; d++)
                if (d != axis && shape[d] != first[d])
                    throw new InvalidArgumentException($"input[{i},{d}] mismatch: {shape[d]} vs. {first[d]} in '{ctx.Op.Name}'");
            output[axis] = offset;
            offset += shape[axis];
        }
    }

    public static Tensor[] Create(Tensor concatDim, IReadOnlyList<Tensor> shapes, string name = "ConcatOffset") =>
        OpBuilder.Create(concatDim.Graph, "ConcatOffset", name, [concatDim, .. shapes], ("N", Attr.Int(shapes.Count))).Outputs.ToArray();
}
