using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Const: a value stored in the graph (attr "value", a TensorProto).</summary>
public sealed class ConstOp : OpDefinition
{
    public override string Type => "Const";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var proto = op.Attrs.GetTensor("value");
        return [new(op.Attrs.GetType("dtype"), Shape.FromProto(proto.TensorShape))];
    }

    public override void Prepare(Operation op) =>
        op.KernelCache ??= TensorProtos.FromProto(op.Attrs.GetTensor("value"), op.Name);

    // The decoded value is shared by every run: consumers never write their inputs.
    public override void Compute(KernelContext ctx) => ctx.SetOutput(0, (NDArray)ctx.Op.KernelCache!);

    public static Tensor Create(NDArray value, string name = "Const", Graph? graph = null)
    {
        var g = graph ?? Graph.Current;
        return OpBuilder.Create(g, "Const", name, Array.Empty<Tensor>(),
            ("dtype", Attr.Type(value.DType)), ("value", Attr.Tensor(value))).Output;
    }

    public static Tensor Scalar(Graph graph, float value, DType dtype, string name = "Const") =>
        Create(NDArray.ScalarOf(value, dtype), name, graph);

    public static Tensor Vector(Graph graph, int[] values, string name = "Const") =>
        Create(new NDArray(DType.Int32, [values.Length], values), name, graph);
}
