using System.Numerics;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>
/// FloorDiv: x // y with broadcasting, rounding toward negative infinity (Python's //); on
/// floats floor(x / y). Integer division by zero fails, as in TF.
/// </summary>
public sealed class FloorDivOp : BinaryOp<FloorDivFn<float>, FloorDivFn<int>, FloorDivFn<long>>
{
    public override string Type => "FloorDiv";

    // TF's _FloorDivGrad returns (None, None).
    public override GradientFunction Gradient => (_, _) => [null, null];

    public static Tensor Create(Tensor x, Tensor y, string name = "FloorDiv") => Build("FloorDiv", x, y, name);
}

public readonly struct FloorDivFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    private static bool IsIntegral => typeof(T) == typeof(int) || typeof(T) == typeof(long);

    public static T Apply(T a, T b)
    {
        if (IsIntegral && b == T.Zero) throw new DivideByZeroException("Integer division by zero");
        T q = a / b;
        if (IsIntegral)
        {
            // Truncated quotient; step down when the remainder is nonzero and the signs differ.
            if (q * b != a && (a < T.Zero) != (b < T.Zero)) q -= T.One;
            return q;
        }
        return T.CreateTruncating(Math.Floor(double.CreateTruncating(q)));
    }

    // Shape arithmetic is tiny: the vector form applies the scalar one lane by lane.
    public static Vector<T> Apply(Vector<T> a, Vector<T> b)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = Apply(a[i], b[i]);
        return new Vector<T>(lanes);
    }
}
