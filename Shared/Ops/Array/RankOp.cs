using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Rank: the number of dimensions of its input, an int32 scalar (use PyArrayOps.Rank for tf.rank).</summary>
public sealed class RankOp : OpDefinition
{
    public override string Type => "Rank";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.Int32, Shape.Scalar)];

    public override void Compute(KernelContext ctx) =>
        ctx.Output(0, DType.Int32, []).Ints[0] = ctx.Input(0).Rank;

    public static Tensor Create(Tensor input, string name = "Rank") =>
        OpBuilder.Create(input.Graph, "Rank", name, [input], OpBuilder.T(input.DType)).Output;
}
