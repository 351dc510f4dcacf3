using System.Numerics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Maximum: max(x, y) elementwise with broadcasting (also clamps int shapes: _safe_shape_div).</summary>
public sealed class MaximumOp : BinaryOp<MaxFn<float>, MaxFn<int>, MaxFn<long>>
{
    public override string Type => "Maximum";

    // TF's _MaximumMinimumGrad with selector GreaterEqual: the gradient goes to x where x >= y,
    // else to y, each summed over its broadcast axes. Nodes, in TF's order: "Shape", "Shape_1",
    // "Shape_2" (of grad), "zeros", "GreaterEqual", "BroadcastGradientArgs", "Select",
    // "Select_1", "Sum", "Reshape", "Sum_1", "Reshape_1".
    public override GradientFunction Gradient => (op, grads) => MaximumMinimumGradient.Build(op, grads[0]!, GreaterEqualOp.Create);

    public static Tensor Create(Tensor x, Tensor y, string name = "Maximum") => Build("Maximum", x, y, name);
}

public readonly struct MaxFn<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.Max(a, b);
}

/// <summary>
/// TF's _MaximumMinimumGrad, shared by Maximum (selector GreaterEqual) and Minimum (LessEqual): the gradient goes
/// to x where selector(x, y) holds, else to y, each summed over its broadcast axes.
/// </summary>
internal static class MaximumMinimumGradient
{
    public static Tensor?[] Build(Operation op, Tensor grad, Func<Tensor, Tensor, string, Tensor> selector)
    {
        var (x, y) = (op.Inputs[0], op.Inputs[1]);
        var sx = PyArrayOps.Shape(x);
        var sy = PyArrayOps.Shape(y);
        var gradShape = PyArrayOps.Shape(grad);
        var zeros = PyArrayOps.Zeros(gradShape, grad.DType);
        var xmask = selector(x, y, op.Type == "Maximum" ? "GreaterEqual" : "LessEqual");
        var (rx, ry) = BroadcastGradientArgsOp.Create(sx, sy);
        var xgrad = SelectOp.Create(xmask, grad, zeros);
        var ygrad = SelectOp.Create(xmask, zeros, grad);
        var gx = ReshapeOp.Create(SumOp.Create(xgrad, rx), sx);
        var gy = ReshapeOp.Create(SumOp.Create(ygrad, ry), sy);
        return [gx, gy];
    }
}
