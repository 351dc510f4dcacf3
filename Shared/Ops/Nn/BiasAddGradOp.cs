using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>BiasAddGrad: out_backprop [..., C] summed over every axis but the last, giving [C] (NHWC).</summary>
public sealed class BiasAddGradOp : OpDefinition
{
    public override string Type => "BiasAddGrad";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var grad = op.Inputs[0];
        BiasAddOp.RequireNhwc(op);
        if (!grad.Shape.IsKnownRank) return [new(grad.DType, new Shape(-1))];
        if (grad.Shape.Rank < 2)
            throw ShapeError(op, $"out_backprop '{grad.Op.Name}' must be at least 2-D, got shape {grad.Shape}");
        return [new(grad.DType, new Shape(grad.Shape[-1]))];
    }

    public override void Compute(KernelContext ctx)
    {
        var grad = ctx.Input(0);
        if (grad.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' (BiasAddGrad) does not support {grad.DType.TfName()}.");
        if (grad.Rank < 2) throw new InvalidArgumentException($"Input tensor of '{ctx.Op.Name}' must be at least 2D: [{string.Join(",", grad.Shape)}]");
        int channels = grad.Shape[^1];
        var output = ctx.Output(0, grad.DType, [channels]);
        var sum = output.Floats;
        sum.Clear();
        if (channels == 0) return;
        var g = grad.Floats;
        for (int start = 0; start < g.Length; start += channels)
            TensorPrimitives.Add(sum, g.Slice(start, channels), sum);
    }

    // TF 1.9's _BiasAddGradGrad reshapes and tiles received_grad with Rank/StridedSlice/ConcatV2,
    // which this engine does not have. Only a second derivative through a bias reaches this op, so
    // building it fails loudly here rather than silently returning no gradient.
    public override GradientFunction Gradient => (op, _) =>
        throw new NotSupportedException(
            $"The gradient of '{op.Name}' (BiasAddGrad, a second derivative through BiasAdd) is not implemented in this engine.");

    public static Tensor Create(Tensor outBackprop, string dataFormat = "NHWC", string name = "BiasAddGrad") =>
        OpBuilder.Create(outBackprop.Graph, "BiasAddGrad", name, [outBackprop],
            OpBuilder.T(outBackprop.DType), ("data_format", Attr.String(dataFormat))).Output;
}
