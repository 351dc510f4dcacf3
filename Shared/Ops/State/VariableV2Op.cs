using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>
/// VariableV2: a tensor that persists in the session across runs; its output is a reference
/// that Assign and the Apply* ops write through. Until initialized it publishes nothing, so a
/// consumer fails with "Attempting to use uninitialized value &lt;name&gt;".
/// </summary>
public class VariableV2Op : OpDefinition
{
    public override string Type => "VariableV2";
    public override bool IsStateful => true;
    public override bool IsVariable => true;

    // A variable is a source: tf.gradients stops at it (it is one of the xs), never differentiates it.
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        [new(op.Attrs.GetType("dtype"), op.Attrs.GetShape("shape"), IsRef: true)];

    public override void Compute(KernelContext ctx)
    {
        var value = ctx.Session.GetVariable(ctx.Op);
        if (value is not null) ctx.SetOutput(0, value);
    }

    /// <summary>TF's variable_op_v2: attrs shape, dtype, container "" and shared_name "".</summary>
    public static Tensor Create(Shape shape, DType dtype, string name = "Variable", string container = "", string sharedName = "")
    {
        var graph = Graph.Current;
        return OpBuilder.Create(graph, "VariableV2", name, Array.Empty<Tensor>(),
            ("shape", Attr.Shape(shape)), ("dtype", Attr.Type(dtype)),
            ("container", Attr.String(container)), ("shared_name", Attr.String(sharedName))).Output;
    }
}
