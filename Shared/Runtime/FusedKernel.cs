using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>The kernel of a step that runs several ops of the plan at once; each member keeps its own context.</summary>
internal abstract class FusedKernel(KernelContext[] members) : OpDefinition
{
    /// <summary>The members' own contexts, in plan order (traced runs time them one by one).</summary>
    public KernelContext[] Members { get; } = members;

    public override OutputSpec[] InferOutputs(Operation op) => throw new NotSupportedException("A fused step is made by the runtime, not added to graphs.");

    /// <summary>The members one after another with their own kernels (same bits, every output written).</summary>
    public void RunUnfused()
    {
        foreach (var member in Members) member.Kernel.Compute(member);
    }
}
