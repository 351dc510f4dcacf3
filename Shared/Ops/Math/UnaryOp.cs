using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// Shared shape rule and builder of elementwise unary ops (Round, Floor, Square, Sqrt, ...):
/// the output has the input's dtype and shape; a subclass gives the kernel and gradient.
/// </summary>
public abstract class UnaryOp : OpDefinition
{
    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    protected static NotSupportedException Unsupported(KernelContext ctx, NDArray x) =>
        new($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {x.DType.TfName()}.");

    /// <summary>The node as TF's generated wrapper makes it: type, name, attr T.</summary>
    protected static Tensor Build(string type, Tensor x, string name) =>
        OpBuilder.Create(x.Graph, type, name, [x], OpBuilder.T(x.DType)).Output;
}
