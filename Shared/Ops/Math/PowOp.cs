using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Pow: x^y elementwise with broadcasting (float: MathF.Pow; int32/int64: exact, a negative exponent is an error).</summary>
public sealed class PowOp : BinaryOp<PowFloatFn, PowIntFn, PowLongFn>
{
    /// <inheritdoc/>
    public override string Type => "Pow";

    // TF 1.x's _PowGrad (real dtypes): sx, sy = "Shape", "Shape_1"; "BroadcastGradientArgs";
    // gx = reshape(sum(grad * y * pow(x, y - 1), rx), sx) as "mul", "sub" (with "sub/y"), "Pow", "mul_1", "Sum", "Reshape";
    // log_x = where(x > 0, log(x), zeros_like(x)) as "Greater" (with "Greater/y"), "Log", "zeros_like", "Select";
    // gy = reshape(sum(grad * z * log_x, ry), sy) as "mul_2", "mul_3", "Sum_1", "Reshape_1".
    /// <inheritdoc/>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (x, y, z, grad) = (op.Inputs[0], op.Inputs[1], op.Outputs[0], grads[0]!);
        var graph = x.Graph;
        var sx = PyArrayOps.Shape(x);
        var sy = PyArrayOps.Shape(y);
        var (rx, ry) = BroadcastGradientArgsOp.Create(sx, sy);
        var yMinusOne = WithScalar("Sub", "sub", y, 1f);
        var gx = ReshapeOp.Create(SumOp.Create(grad * y * Create(x, yMinusOne), rx), sx);
        var positive = WithScalar("Greater", "Greater", x, 0f);
        var logX = SelectOp.Create(positive, LogOp.Create(x), PyArrayOps.ZerosLike(x));
        var gy = ReshapeOp.Create(SumOp.Create(grad * z * logX, ry), sy);
        return [gx, gy];

        Tensor WithScalar(string type, string name, Tensor t, float value)
        {
            using var scope = graph.NameScope(name);
            var constant = ConstOp.Scalar(graph, value, t.DType, "y");
            return OpBuilder.Create(graph, type, scope.ScopeName, [t, constant], OpBuilder.T(t.DType)).Output;
        }
    };

    /// <summary>tf.pow(x, y).</summary>
    public static Tensor Create(Tensor x, Tensor y, string name = "Pow") => Build("Pow", x, y, name);
}

/// <summary>x^y in float: MathF.Pow on every lane, so the SIMD form gives the scalar bits.</summary>
public readonly struct PowFloatFn : IBinaryFunction<float>
{
    /// <inheritdoc/>
    public static float Apply(float a, float b) => MathF.Pow(a, b);

    /// <inheritdoc/>
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) => PowLanes.Apply<float, PowFloatFn>(a, b);
}

/// <summary>x^y in int32 by squaring (wrapping on overflow, as TF's kernel).</summary>
public readonly struct PowIntFn : IBinaryFunction<int>
{
    /// <inheritdoc/>
    public static int Apply(int a, int b) => (int)PowLanes.Integer(a, b);

    /// <inheritdoc/>
    public static Vector<int> Apply(Vector<int> a, Vector<int> b) => PowLanes.Apply<int, PowIntFn>(a, b);
}

/// <summary>x^y in int64 by squaring (wrapping on overflow, as TF's kernel).</summary>
public readonly struct PowLongFn : IBinaryFunction<long>
{
    /// <inheritdoc/>
    public static long Apply(long a, long b) => PowLanes.Integer(a, b);

    /// <inheritdoc/>
    public static Vector<long> Apply(Vector<long> a, Vector<long> b) => PowLanes.Apply<long, PowLongFn>(a, b);
}

internal static class PowLanes
{
    public static Vector<T> Apply<T, TFn>(Vector<T> a, Vector<T> b) where T : unmanaged where TFn : IBinaryFunction<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = TFn.Apply(a[i], b[i]);
        return new Vector<T>(lanes);
    }

    public static long Integer(long x, long y)
    {
        if (y < 0) throw new InvalidArgumentException("Integers to negative integer powers are not allowed");
        long result = 1;
        unchecked
        {
            while (y > 0)
            {
                if ((y & 1) != 0) result *= x;
                x *= x;
                y >>= 1;
            }
        }
        return result;
    }
}
