using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Round: to the nearest integer, halves to even (TF's banker's rounding: 0.5 → 0, 1.5 → 2, 2.5 → 2).</summary>
public sealed class RoundOp : UnaryOp
{
    public override string Type => "Round";

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            // Half to even, as Eigen's scalar_round_op_google rounds (see RoundHalfEven).
            case DType.Float: FloatMap.Run(x.FloatArray, y.FloatArray, x.Size, static (i, o) => RoundHalfEven.Run(i, o)); break;
            case DType.Int32: x.Ints.CopyTo(y.Ints); break;
            case DType.Int64: x.Longs.CopyTo(y.Longs); break;
            default: throw Unsupported(ctx, x);
        }
    }

    // TF registers a gradient that returns None: the step function has no useful derivative.
    public override GradientFunction Gradient => (_, _) => [null];

    public static Tensor Create(Tensor x, string name = "Round") => Build("Round", x, name);
}
