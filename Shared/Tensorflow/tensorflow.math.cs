#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Ops;
using EngineTensor = TfMnist.Framework.Tensor;

namespace Tensorflow;

// Math ops. An op created with no name takes TF's default, its op type ("MatMul", "Mean").
public sealed partial class tensorflow
{
    /// <summary>tf.math: the same functions under TF 2's module name.</summary>
    public math_internal math => new(this);

    public Tensor add<Tx, Ty>(Tx a, Ty b, string? name = null) => ops.binary("Add", name ?? "Add", a!, b!);
    public Tensor subtract<Tx, Ty>(Tx a, Ty b, string? name = null) => ops.binary("Sub", name ?? "Sub", a!, b!);
    public Tensor multiply<Tx, Ty>(Tx a, Ty b, string? name = null) => ops.binary("Mul", name ?? "Mul", a!, b!);
    public Tensor divide<Tx, Ty>(Tx a, Ty b, string? name = null) => ops.binary("RealDiv", name ?? "truediv", a!, b!);
    public Tensor truediv(Tensor x, Tensor y, string? name = null) => ops.binary("RealDiv", name ?? "truediv", x, y);

    /// <summary>tf.div on floats: RealDiv named "div" (TF's python2-style division).</summary>
    public Tensor div(Tensor x, Tensor y, string? name = null) => ops.binary("RealDiv", name ?? "div", x, y);

    public Tensor maximum<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("Maximum", name ?? "Maximum", x!, y!);
    public Tensor minimum<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("Minimum", name ?? "Minimum", x!, y!);
    public Tensor pow<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("Pow", name ?? "Pow", x!, y!);

    public Tensor matmul(Tensor a, Tensor b, bool transpose_a = false, bool transpose_b = false, string? name = null) =>
        MatMulOp.Create(a, b, transpose_a, transpose_b, name ?? "MatMul");

    public Tensor negative(Tensor x, string? name = null) => NegOp.Create(x, name ?? "Neg");
    public Tensor round(Tensor x, string? name = null) => RoundOp.Create(x, name ?? "Round");
    public Tensor floor(Tensor x, string? name = null) => FloorOp.Create(x, name ?? "Floor");
    public Tensor sqrt(Tensor x, string? name = null) => SqrtOp.Create(x, name ?? "Sqrt");
    public Tensor square(Tensor x, string? name = null) => SquareOp.Create(x, name ?? "Square");
    public Tensor exp(Tensor x, string? name = null) => ExpOp.Create(x, name ?? "Exp");
    public Tensor log(Tensor x, string? name = null) => Unary("Log", x, name);
    public Tensor log1p(Tensor x, string? name = null) => Unary("Log1p", x, name);
    public Tensor tanh(Tensor x, string? name = null) => Unary("Tanh", x, name);
    public Tensor sigmoid(Tensor x, string? name = null) => Unary("Sigmoid", x, name);
    public Tensor abs(Tensor x, string? name = null) => Unary("Abs", x, name);

    public Tensor equal(Tensor x, Tensor y, string? name = null) => EqualOp.Create(x, y, name ?? "Equal");
    public Tensor greater<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("Greater", name ?? "Greater", x!, y!);
    public Tensor greater_equal<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("GreaterEqual", name ?? "GreaterEqual", x!, y!);
    public Tensor less<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("Less", name ?? "Less", x!, y!);
    public Tensor less_equal<Tx, Ty>(Tx x, Ty y, string? name = null) => ops.binary("LessEqual", name ?? "LessEqual", x!, y!);

    /// <summary>tf.where(condition, x, y): elements of x where condition holds, else of y (TF1's Select).</summary>
    public Tensor where(Tensor condition, Tensor x, Tensor y, string? name = null) => SelectOp.Create(condition, x, y, name ?? "Select");

    public Tensor cast(Tensor x, TF_DataType dtype, string? name = null) => CastOp.CastIfNeeded(x, dtype.ToEngine(), name ?? "Cast");

    public Tensor argmax(Tensor input, Axis? axis = null, string? name = null, int? dimension = null,
        TF_DataType output_type = TF_DataType.TF_INT64) =>
        ArgMaxOp.Create(input, SingleAxis(axis, dimension, "argmax"), output_type.ToEngine(), name ?? "ArgMax");

    public Tensor add_n(Tensor[] inputs, string? name = null) => AddNOp.Create([.. inputs.Select(i => i.Value)], name ?? "AddN");

    public Tensor reduce_sum(Tensor input, Axis? axis = null, Axis? reduction_indices = null, bool keepdims = false, string? name = null) =>
        SumOp.Create(input, Axes(input, axis ?? reduction_indices), keepdims, name ?? "Sum");

    public Tensor reduce_mean(Tensor input_tensor, Axis? axis = null, bool keepdims = false, string? name = null, Axis? reduction_indices = null) =>
        MeanOp.Create(input_tensor, Axes(input_tensor, axis ?? reduction_indices), keepdims, name ?? "Mean");

    public Tensor reduce_max(Tensor input_tensor, Axis? axis = null, bool keepdims = false, string? name = null) =>
        MaxOp.Create(input_tensor, Axes(input_tensor, axis), keepdims, name ?? "Max");

    public Tensor reduce_min(Tensor input_tensor, Axis? axis = null, bool keepdims = false, string? name = null) =>
        MinOp.Create(input_tensor, Axes(input_tensor, axis), keepdims, name ?? "Min");

    public Tensor reduce_prod(Tensor input_tensor, Axis? axis = null, bool keepdims = false, string? name = null) =>
        ProdOp.Create(input_tensor, Axes(input_tensor, axis), keepdims, name ?? "Prod");

    private static Tensor Unary(string type, Tensor x, string? name) =>
        Tensor.From(OpBuilder.Create(x.Value.Graph, type, name ?? type, [x.Value], OpBuilder.T(x.Value.DType)).Output);

    /// <summary>
    /// The reduction axes as a tensor; for axis=None TF's _ReductionDims: a constant range(rank)
    /// created in the current scope (hence "loss/total/Const" beside "loss/total/Mean").
    /// </summary>
    private static EngineTensor Axes(Tensor x, Axis? axis)
    {
        if (axis is not null) return ConstOp.Vector(x.Value.Graph, axis.axis);
        if (!x.Value.Shape.IsKnownRank)
            throw new ValueError($"Reducing '{x.name}' over all axes needs a known rank.");
        return ConstOp.Vector(x.Value.Graph, Enumerable.Range(0, x.Value.Shape.Rank).ToArray());
    }

    private static int SingleAxis(Axis? axis, int? dimension, string function)
    {
        if (axis is not null && dimension is not null)
            throw new ValueError($"tf.{function}: cannot specify both 'axis' and 'dimension'.");
        var chosen = axis ?? (dimension is int d ? new Axis(d) : new Axis(0));
        if (chosen.size != 1) throw new ValueError($"tf.{function} takes one axis, not {chosen}.");
        return chosen[0];
    }
}

/// <summary>tf.math: TF 2's module name for the math functions.</summary>
public sealed class math_internal(tensorflow tf)
{
    public Tensor argmax(Tensor input, Axis axis, string? name = null, TF_DataType output_type = TF_DataType.TF_INT64) =>
        tf.argmax(input, axis, name, output_type: output_type);

    public Tensor log(Tensor x, string? name = null) => tf.log(x, name);
    public Tensor exp(Tensor x, string? name = null) => tf.exp(x, name);
    public Tensor tanh(Tensor x, string? name = null) => tf.tanh(x, name);
    public Tensor sigmoid(Tensor x, string? name = null) => tf.sigmoid(x, name);
    public Tensor square(Tensor x, string? name = null) => tf.square(x, name);
    public Tensor sqrt(Tensor x, string? name = null) => tf.sqrt(x, name);
    public Tensor abs(Tensor x, string? name = null) => tf.abs(x, name);
    public Tensor equal(Tensor x, Tensor y, string? name = null) => tf.equal(x, y, name);
    public Tensor reduce_sum(Tensor input, Axis? axis = null, bool keepdims = false, string? name = null) =>
        tf.reduce_sum(input, axis, keepdims: keepdims, name: name);
    public Tensor reduce_mean(Tensor input, Axis? axis = null, bool keepdims = false, string? name = null) =>
        tf.reduce_mean(input, axis, keepdims, name);
}
