using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Size: the number of elements of its input (int32 or int64 scalar; use PyArrayOps.Size for tf.size).</summary>
public sealed class SizeOp : OpDefinition
{
    public override string Type => "Size";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Attrs.GetType("out_type"), Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        int size = ctx.Input(0).Size;
        var dtype = ctx.Op.Outputs[0].DType;
        var output = ctx.Output(0, dtype, []);
        if (dtype == DType.Int64) output.Longs[0] = size; else output.Ints[0] = size;
    }

    public static Tensor Create(Tensor input, string name = "Size", DType outType = DType.Int32) =>
        OpBuilder.Create(input.Graph, "Size", name, [input], OpBuilder.T(input.DType), ("out_type", Attr.Type(outType))).Output;
}
