using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>
/// Exp: e^x elementwise. Added with the Nn ops because TF's LogSoftmax gradient builds
/// exp(op.outputs[0]); reconcile with any Math-ops branch at merge.
/// </summary>
public sealed class ExpOp : OpDefinition
{
    public override string Type => "Exp";

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' (Exp) does not support {x.DType.TfName()}.");
        var y = ctx.Output(0, x.DType, x.Shape);
        // TensorPrimitives' vector exp can differ from MathF.Exp in the last bit: a reference run takes the scalar one.
        if (KernelPolicy.Reference) SequentialMath.Exp(x.Floats, y.Floats);
        else TensorPrimitives.Exp(x.Floats, y.Floats);
    }

    // TF's _ExpGrad: grad * conj(y); conj of a real tensor is the tensor itself (no node).
    public override GradientFunction Gradient => (op, grads) => [grads[0]! * op.Outputs[0]];

    public static Tensor Create(Tensor x, string name = "Exp") =>
        OpBuilder.Create(x.Graph, "Exp", name, [x], OpBuilder.T(x.DType)).Output;
}
