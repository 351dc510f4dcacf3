using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// ApplyAdam: one Adam step in place, by TF's documented update (t is the step, beta1_power = beta1^t):
/// lr_t = lr·√(1 − beta2_power) / (1 − beta1_power); m ← m + (g − m)(1 − beta1); v ← v + (g² − v)(1 − beta2);
/// var ← var − lr_t·m / (√v + epsilon), or with use_nesterov var ← var − lr_t·(beta1·m + (1 − beta1)·g) / (√v + epsilon).
/// Writes var, m and v (the "&lt;var&gt;/Adam" and "&lt;var&gt;/Adam_1" slots); outputs the variable.
/// </summary>
public sealed class ApplyAdamOp : OpDefinition
{
    private static readonly string[] InputNames =
        ["var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"];

    public override string Type => "ApplyAdam";
    public override bool IsStateful => true;
    public override int? MutatedRefInput => 0;
    public override int? ForwardedInput => 0;
    public override IReadOnlyList<int> MutatedRefInputs => [0, 1, 2];

    // TF registers no gradient for training ops; they are update steps, never differentiated.
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        ApplyOpInputs.InferOutputs(op, ShapeError, refs: [0, 1, 2], scalars: [3, 4, 5, 6, 7, 8], sameShape: [9], InputNames);

    public override void Compute(KernelContext ctx)
    {
        var var = ApplyOpInputs.Variable(ctx, 0, "var");
        var m = ApplyOpInputs.Variable(ctx, 1, "m");
        var v = ApplyOpInputs.Variable(ctx, 2, "v");
        var grad = ctx.Input(9);
        ApplyOpInputs.SameShape(ctx, var, m, "m");
        ApplyOpInputs.SameShape(ctx, var, v, "v");
        ApplyOpInputs.SameShape(ctx, var, grad, "grad");
        float beta1Power = ApplyOpInputs.Scalar(ctx, 3, "beta1_power");
        float beta2Power = ApplyOpInputs.Scalar(ctx, 4, "beta2_power");
        float lr = ApplyOpInputs.Scalar(ctx, 5, "lr");
        float beta1 = ApplyOpInputs.Scalar(ctx, 6, "beta1");
        float beta2 = ApplyOpInputs.Scalar(ctx, 7, "beta2");
        float epsilon = ApplyOpInputs.Scalar(ctx, 8, "epsilon");
        bool nesterov = ctx.Op.Attrs.GetBool("use_nesterov", false);

        float alpha = lr * MathF.Sqrt(1 - beta2Power) / (1 - beta1Power);
        Span<float> w = var.Floats, mt = m.Floats, vt = v.Floats;
        ReadOnlySpan<float> g = grad.Floats;
        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i];
            mt[i] += (gi - mt[i]) * (1 - beta1);
            vt[i] += (gi * gi - vt[i]) * (1 - beta2);
            float step = nesterov ? gi * (1 - beta1) + beta1 * mt[i] : mt[i];
            w[i] -= step * alpha / (MathF.Sqrt(vt[i]) + epsilon);
        }
        ctx.SetOutput(0, var);
    }

    /// <summary>TF's training_ops.apply_adam: attrs T, use_locking, use_nesterov, colocated with the variable.</summary>
    public static Tensor Create(Tensor var, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr,
        Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad, bool useLocking = false, bool useNesterov = false, string name = "ApplyAdam") =>
        OpBuilder.Create(var.Graph, "ApplyAdam", name, [var, m, v, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad],
            OpBuilder.ColocateWith(var.Op), OpBuilder.T(var.DType),
            ("use_locking", Attr.Bool(useLocking)), ("use_nesterov", Attr.Bool(useNesterov))).Output;
}
