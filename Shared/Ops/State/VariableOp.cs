namespace TfMnist.Ops;

/// <summary>
/// Variable: the op type graphs from before TensorFlow 1.0 use for variables, with VariableV2's attrs
/// (shape, dtype, container, shared_name) and semantics, so it runs on VariableV2's kernel.
/// </summary>
public sealed class VariableOp : VariableV2Op
{
    public override string Type => "Variable";
}
