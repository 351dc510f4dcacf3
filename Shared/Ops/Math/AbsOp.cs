using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Abs: |x| elementwise (float, int32, int64; the smallest int stays itself, as in TF).</summary>
public sealed class AbsOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Type => "Abs";

    /// <inheritdoc/>
    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            case DType.Float: Map(x.Floats, y.Floats, static v => MathF.Abs(v)); break;
            case DType.Int32: Map(x.Ints, y.Ints, static v => v < 0 ? unchecked(-v) : v); break;
            case DType.Int64: Map(x.Longs, y.Longs, static v => v < 0 ? unchecked(-v) : v); break;
            default: throw Unsupported(ctx, x);
        }
    }

    internal static void Map<T>(ReadOnlySpan<T> x, Span<T> y, Func<T, T> f)
    {
        for (int i = 0; i < y.Length; i++) y[i] = f(x[i]);
    }

    // TF's _AbsGrad: grad * sign(x), as "Sign" then "mul".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) => [grads[0]! * SignOp.Create(op.Inputs[0])];

    /// <summary>tf.abs(x).</summary>
    public static Tensor Create(Tensor x, string name = "Abs") => Build("Abs", x, name);
}

/// <summary>Sign: -1, 0 or 1 elementwise by the sign of x (±0 gives +0, NaN stays NaN).</summary>
public sealed class SignOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Type => "Sign";

    /// <inheritdoc/>
    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DType, x.Shape);
        switch (x.DType)
        {
            case DType.Float: AbsOp.Map(x.Floats, y.Floats, static v => v > 0 ? 1f : v < 0 ? -1f : float.IsNaN(v) ? v : 0f); break;
            case DType.Int32: AbsOp.Map(x.Ints, y.Ints, static v => Math.Sign(v)); break;
            case DType.Int64: AbsOp.Map(x.Longs, y.Longs, static v => (long)Math.Sign(v)); break;
            default: throw Unsupported(ctx, x);
        }
    }

    // TF's _SignGrad: zeros(shape(x), dtype=x.dtype): "Shape" (a Const when x's shape is known), "zeros/Const"
    // filled into "zeros". The gradient is 0, not None.
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, _) =>
    {
        var x = op.Inputs[0];
        return [PyArrayOps.Zeros(PyArrayOps.Shape(x), x.DType)];
    };

    /// <summary>tf.sign(x).</summary>
    public static Tensor Create(Tensor x, string name = "Sign") => Build("Sign", x, name);
}
