using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// ApplyMomentum: one momentum step in place, by TF's documented update: accum ← accum·momentum + grad;
/// var ← var − lr·accum, or with use_nesterov var ← var − lr·grad − lr·momentum·accum. Writes var and the
/// "&lt;var&gt;/Momentum" slot (accum); outputs the variable.
/// </summary>
public sealed class ApplyMomentumOp : OpDefinition
{
    private static readonly string[] InputNames = ["var", "accum", "lr", "grad", "momentum"];

    public override string Type => "ApplyMomentum";
    public override bool IsStateful => true;
    public override int? MutatedRefInput => 0;
    public override int? ForwardedInput => 0;
    public override IReadOnlyList<int> MutatedRefInputs => [0, 1];

    // TF registers no gradient for training ops; they are update steps, never differentiated.
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        ApplyOpInputs.InferOutputs(op, ShapeError, refs: [0, 1], scalars: [2, 4], sameShape: [3], InputNames);

    public override void Compute(KernelContext ctx)
    {
        var var = ApplyOpInputs.Variable(ctx, 0, "var");
        var accum = ApplyOpInputs.Variable(ctx, 1, "accum");
        var grad = ctx.Input(3);
        ApplyOpInputs.SameShape(ctx, var, accum, "accum");
        ApplyOpInputs.SameShape(ctx, var, grad, "grad");
        float lr = ApplyOpInputs.Scalar(ctx, 2, "lr");
        float momentum = ApplyOpInputs.Scalar(ctx, 4, "momentum");
        bool nesterov = ctx.Op.Attrs.GetBool("use_nesterov", false);

        Span<float> w = var.Floats, a = accum.Floats;
        ReadOnlySpan<float> g = grad.Floats;
        for (int i = 0; i < w.Length; i++)
        {
            a[i] = a[i] * momentum + g[i];
            w[i] -= nesterov ? g[i] * lr + a[i] * momentum * lr : a[i] * lr;
        }
        ctx.SetOutput(0, var);
    }

    /// <summary>TF's training_ops.apply_momentum: attrs T, use_locking, use_nesterov, colocated with the variable.</summary>
    public static Tensor Create(Tensor var, Tensor accum, Tensor lr, Tensor grad, Tensor momentum,
        bool useLocking = false, bool useNesterov = false, string name = "ApplyMomentum") =>
        OpBuilder.Create(var.Graph, "ApplyMomentum", name, [var, accum, lr, grad, momentum],
            OpBuilder.ColocateWith(var.Op), OpBuilder.T(var.DType),
            ("use_locking", Attr.Bool(useLocking)), ("use_nesterov", Attr.Bool(useNesterov))).Output;
}
