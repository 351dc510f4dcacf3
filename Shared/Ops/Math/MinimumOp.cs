using System.Numerics;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Minimum: min(x, y) elementwise with broadcasting.</summary>
public sealed class MinimumOp : BinaryOp<MinFn<float>, MinFn<int>, MinFn<long>>
{
    /// <inheritdoc/>
    public override string Type => "Minimum";

    // TF's _MinimumGrad: _MaximumMinimumGrad with selector LessEqual; the same nodes as Maximum's gradient
    // with "LessEqual" for "GreaterEqual".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) => MaximumMinimumGradient.Build(op, grads[0]!, LessEqualOp.Create);

    /// <summary>tf.minimum(x, y).</summary>
    public static Tensor Create(Tensor x, Tensor y, string name = "Minimum") => Build("Minimum", x, y, name);
}

/// <summary>min(a, b), as <see cref="MaxFn{T}"/> for max.</summary>
public readonly struct MinFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public static T Apply(T a, T b) => T.Min(a, b);

    /// <inheritdoc/>
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.Min(a, b);
}
