using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>AddN: the elementwise sum of N same-shaped tensors (how fan-out gradients are summed).</summary>
public sealed class AddNOp : OpDefinition
{
    public override string Type => "AddN";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var shape = op.Inputs[0].Shape;
        foreach (var input in op.Inputs.Skip(1))
        {
            if (!shape.IsCompatibleWith(input.Shape))
                throw ShapeError(op, $"inputs '{op.Inputs[0].Name}' {op.Inputs[0].Shape} and '{input.Name}' {input.Shape} differ");
            shape = shape.MergeWith(input.Shape);
        }
        return [new(op.Inputs[0].DType, shape)];
    }

    public override void Compute(KernelContext ctx)
    {
        var first = ctx.Input(0);
        var output = ctx.Output(0, first.DType, first.Shape);
        if (first.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' supports float32 only.");
        first.Floats.CopyTo(output.Floats);
        for (int i = 1; i < ctx.InputCount; i++)
        {
            var next = ctx.Input(i);
            if (next.Size != output.Size)
                throw new InvalidArgumentException($"Inputs to '{ctx.Op.Name}' must have the same shape.");
            TensorPrimitives.Add(output.Floats, next.Floats, output.Floats);
        }
    }

    // Every input receives the full gradient.
    public override GradientFunction Gradient => (op, grads) => op.Inputs.Select(_ => grads[0]).ToArray();

    public static Tensor Create(IReadOnlyList<Tensor> inputs, string name = "AddN")
    {
        if (inputs.Count == 1) return inputs[0];
        return OpBuilder.Create(inputs[0].Graph, "AddN", name, inputs,
            ("N", Attr.Int(inputs.Count)), OpBuilder.T(inputs[0].DType)).Output;
    }
}
