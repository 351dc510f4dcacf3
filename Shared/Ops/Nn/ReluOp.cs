using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Relu: max(features, 0).</summary>
public sealed class ReluOp : OpDefinition, ITileKernel
{
    int ITileKernel.TileOperandCount => 1;
    void ITileKernel.Tile(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, long first, ulong runState) =>
        TensorPrimitives.Max(x, 0f, output);

    public override string Type => "Relu";

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            case DType.Float: FloatMap.Run(x.FloatArray, y.FloatArray, x.Size, static (i, o) => TensorPrimitives.Max(i, 0f, o)); break;
            case DType.Int32: TensorPrimitives.Max<int>(x.Ints, 0, y.Ints); break;
            case DType.Int64: TensorPrimitives.Max<long>(x.Longs, 0L, y.Longs); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' (Relu) does not support {x.DType.TfName()}.");
        }
    }

    // TF 1.9's _ReluGrad: relu_grad(grad, op.outputs[0]).
    public override GradientFunction Gradient => (op, grads) => [ReluGradOp.Create(grads[0]!, op.Outputs[0])];

    public static Tensor Create(Tensor features, string name = "Relu") =>
        OpBuilder.Create(features.Graph, "Relu", name, [features], OpBuilder.T(features.DType)).Output;
}
