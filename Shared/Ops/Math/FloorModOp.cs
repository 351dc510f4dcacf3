using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>FloorMod: x % y with the sign of y (Python's %), with broadcasting; `%` in reduced_shape.</summary>
public sealed class FloorModOp : BinaryOp<FloorModFn<float>, FloorModFn<int>, FloorModFn<long>>
{
    public override string Type => "FloorMod";

    // TF's _FloorModGrad: d/dx = grad, d/dy = grad * -floor_div(x, y), each summed to its shape.
    // Node order as TF: "Shape", "Shape_1", "BroadcastGradientArgs", "FloorDiv", "Sum",
    // "Reshape", "Neg", "mul", "Sum_1", "Reshape_1".
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        var grad = grads[0]!;
        var sx = PyArrayOps.Shape(x);
        var sy = PyArrayOps.Shape(y);
        var (rx, ry) = BroadcastGradientArgsOp.Create(sx, sy);
        var floorXy = FloorDivOp.Create(x, y);
        var gx = BroadcastGradient.SumToShape(grad, rx, sx);
        var gy = BroadcastGradient.SumToShape(MulOp.Create(grad, NegOp.Create(floorXy), "mul"), ry, sy);
        return [gx, gy];
    };

    public static Tensor Create(Tensor x, Tensor y, string name = "FloorMod") => Build("FloorMod", x, y, name);
}

public readonly struct FloorModFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    private static bool IsIntegral => typeof(T) == typeof(int) || typeof(T) == typeof(long);

    public static T Apply(T a, T b)
    {
        if (IsIntegral && b == T.Zero) throw new DivideByZeroException("Integer division by zero");
        T r = a % b;
        if (r != T.Zero && (r < T.Zero) != (b < T.Zero)) r += b;
        return r;
    }

    public static Vector<T> Apply(Vector<T> a, Vector<T> b)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = Apply(a[i], b[i]);
        return new Vector<T>(lanes);
    }
}
