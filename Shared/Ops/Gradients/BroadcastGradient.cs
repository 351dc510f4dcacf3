using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// The tail every broadcasting binary op's gradient shares in TF: sum each input's gradient over
/// the axes it was broadcast along, then reshape it back to the input's shape.
/// </summary>
public static class BroadcastGradient
{
    public static (Tensor Sx, Tensor Sy, Tensor Rx, Tensor Ry) Args(Tensor x, Tensor y)
    {
        var sx = ShapeOp.Create(x);
        var sy = ShapeOp.Create(y);
        var (rx, ry) = BroadcastGradientArgsOp.Create(sx, sy);
        return (sx, sy, rx, ry);
    }

    /// <summary>reshape(reduce_sum(grad, axes), shape).</summary>
    public static Tensor SumToShape(Tensor grad, Tensor axes, Tensor shape) =>
        ReshapeOp.Create(SumOp.Create(grad, axes), shape);
}
