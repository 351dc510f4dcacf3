using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>NoOp: does nothing; with control inputs it groups them (tf.group).</summary>
public sealed class NoOpOp : OpDefinition
{
    public override string Type => "NoOp";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [];
    public override void Compute(KernelContext ctx) { }

    public static Operation Create(Graph graph, string name, IReadOnlyList<Operation> controlInputs) =>
        OpBuilder.Create(graph, "NoOp", name, Array.Empty<Tensor>(), controlInputs);
}
