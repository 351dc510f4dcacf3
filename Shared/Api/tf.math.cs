#pragma warning disable CS8981
#pragma warning disable IDE1006
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Core;

namespace TfMnist.Api;

public static partial class tf
{
    public static Tensor add(Tensor x, Tensor y, string name = "Add") => AddOp.Create(x, y, name);
    public static Tensor subtract(Tensor x, Tensor y, string name = "Sub") => SubOp.Create(x, y, name);
    public static Tensor multiply(Tensor x, Tensor y, string name = "Mul") => MulOp.Create(x, y, name);

    /// <summary>tf.div on floats: RealDiv named "div" (TF's python2-style division).</summary>
    public static Tensor div(Tensor x, Tensor y, string name = "div") => RealDivOp.Create(x, y, name);

    public static Tensor truediv(Tensor x, Tensor y, string name = "truediv") => RealDivOp.Create(x, y, name);
    public static Tensor negative(Tensor x, string name = "Neg") => NegOp.Create(x, name);
    public static Tensor matmul(Tensor a, Tensor b, bool transpose_a = false, bool transpose_b = false, string name = "MatMul") =>
        MatMulOp.Create(a, b, transpose_a, transpose_b, name);
    public static Tensor round(Tensor x, string name = "Round") => RoundOp.Create(x, name);
    public static Tensor floor(Tensor x, string name = "Floor") => FloorOp.Create(x, name);
    public static Tensor sqrt(Tensor x, string name = "Sqrt") => SqrtOp.Create(x, name);
    public static Tensor square(Tensor x, string name = "Square") => SquareOp.Create(x, name);
    public static Tensor identity(Tensor x, string name = "Identity") => IdentityOp.Create(x, name);
    public static Tensor stop_gradient(Tensor x, string name = "StopGradient") => StopGradientOp.Create(x, name);
    public static Tensor equal(Tensor x, Tensor y, string name = "Equal") => EqualOp.Create(x, y, name);
    public static Tensor cast(Tensor x, DType dtype, string name = "Cast") => CastOp.CastIfNeeded(x, dtype, name);
    public static Tensor argmax(Tensor input, int axis, string name = "ArgMax") => ArgMaxOp.Create(input, axis, DType.Int64, name);
    public static Tensor add_n(IReadOnlyList<Tensor> inputs, string name = "AddN") => AddNOp.Create(inputs, name);
    public static Tensor reshape(Tensor x, int[] shape, string name = "Reshape") => ReshapeOp.Create(x, shape, name);
    public static Tensor reshape(Tensor x, Tensor shape, string name = "Reshape") => ReshapeOp.Create(x, shape, name);
    public static Tensor shape(Tensor x, string name = "Shape") => ShapeOp.Create(x, name);
    public static Tensor zeros_like(Tensor x, string name = "zeros_like") => ZerosLikeOp.Create(x, name);
    public static Tensor ones_like(Tensor x, string name = "ones_like") => OnesLikeOp.Create(x, name);
    public static Tensor fill(Tensor dims, Tensor value, string name = "Fill") => FillOp.Create(dims, value, name);
    public static Tensor tile(Tensor x, Tensor multiples, string name = "Tile") => TileOp.Create(x, multiples, name);

    public static Tensor reduce_sum(Tensor x, int[]? axis = null, bool keepdims = false, string name = "Sum") =>
        axis is null ? SumOp.Create(x, AllAxes(x), keepdims, name) : SumOp.Create(x, axis, keepdims, name);

    public static Tensor reduce_mean(Tensor x, int[]? axis = null, bool keepdims = false, string name = "Mean") =>
        axis is null ? MeanOp.Create(x, AllAxes(x), keepdims, name) : MeanOp.Create(x, axis, keepdims, name);

    public static Tensor reduce_max(Tensor x, int[]? axis = null, bool keepdims = false, string name = "Max") =>
        axis is null ? MaxOp.Create(x, AllAxes(x), keepdims, name) : MaxOp.Create(x, axis, keepdims, name);

    public static Tensor reduce_min(Tensor x, int[]? axis = null, bool keepdims = false, string name = "Min") =>
        axis is null ? MinOp.Create(x, AllAxes(x), keepdims, name) : MinOp.Create(x, axis, keepdims, name);

    /// <summary>
    /// TF's _ReductionDims for axis=None: a constant range(rank) created in the current scope
    /// (hence "loss/total/Const" beside "loss/total/Mean").
    /// </summary>
    private static Tensor AllAxes(Tensor x)
    {
        if (!x.Shape.IsKnownRank)
            throw new NotSupportedException($"Reducing '{x.Name}' over all axes needs a known rank.");
        return ConstOp.Vector(x.Graph, Enumerable.Range(0, x.Shape.Rank).ToArray());
    }
}
