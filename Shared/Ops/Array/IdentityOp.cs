using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>Identity: passes its input through (no copy); the gradient passes through too.</summary>
public sealed class IdentityOp : OpDefinition
{
    public override string Type => "Identity";
    public override int? ForwardedInput => 0;

    public override OutputSpec[] InferOutputs(Operation op) => [new(op.Inputs[0].DType, op.Inputs[0].Shape)];

    public override void Compute(KernelContext ctx) => ctx.SetOutput(0, ctx.Input(0));

    public override GradientFunction Gradient => (_, grads) => [grads[0]];

    public static Tensor Create(Tensor input, string name = "Identity", IReadOnlyList<Operation>? controlInputs = null,
        Operation? colocateWith = null)
    {
        var attrs = new List<(string, Proto.AttrValue)> { OpBuilder.T(input.DType) };
        if (colocateWith is not null) attrs.Insert(0, OpBuilder.ColocateWith(colocateWith));
        return OpBuilder.Create(input.Graph, "Identity", name, [input], controlInputs ?? Array.Empty<Operation>(), attrs.ToArray()).Output;
    }
}
