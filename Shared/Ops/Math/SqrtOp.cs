using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Sqrt: the elementwise square root (float types).</summary>
public sealed class SqrtOp : UnaryOp
{
    public override string Type => "Sqrt";

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DType != DType.Float) throw Unsupported(ctx, x);
        TensorPrimitives.Sqrt(x.Floats, ctx.Output(0, x.DType, x.Shape).Floats);
    }

    // TF's _SqrtGrad: SqrtGrad(y, grad) = grad * 0.5 / y, from the output y = sqrt(x).
    public override GradientFunction Gradient => (op, grads) => [SqrtGradOp.Create(op.Outputs[0], grads[0]!)];

    public static Tensor Create(Tensor x, string name = "Sqrt") => Build("Sqrt", x, name);
}
