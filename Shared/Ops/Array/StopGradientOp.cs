using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>StopGradient: passes its input through (no copy); gradients stop here (TF: NotDifferentiable).</summary>
public sealed class StopGradientOp : OpDefinition
{
    public override string Type => "StopGradient";
    public override int? ForwardedInput => 0;
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx) => ctx.SetOutput(0, ctx.Input(0));

    public static Tensor Create(Tensor input, string name = "StopGradient") =>
        OpBuilder.Create(input.Graph, "StopGradient", name, [input], OpBuilder.T(input.DType)).Output;
}
