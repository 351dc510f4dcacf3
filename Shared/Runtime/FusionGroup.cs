using TfMnist.Framework;
namespace TfMnist.Runtime;

/// <summary>Ops of a plan that run as one step (see <see cref="ElementwiseFusion"/>), with the kernel that runs them.</summary>
internal abstract class FusionGroup(int[] steps)
{
    /// <summary>The members' indices among the plan's executed ops, in plan order.</summary>
    public int[] Steps { get; } = steps;

    /// <summary>The step's kernel over the members' own contexts, for one run state.</summary>
    public abstract FusedKernel CreateKernel(KernelContext[] members);
}

/// <summary>Connected elementwise ops run as one loop over tiles (<see cref="FusedElementwiseKernel"/>).</summary>
internal sealed class ElementwiseLoop(int[] steps, int[][] sources, bool[] exported) : FusionGroup(steps)
{
    /// <summary>Per member and tile operand: the member (index into <see cref="FusionGroup.Steps"/>) it reads, or -1 for a value from outside.</summary>
    public int[][] Sources { get; } = sources;

    /// <summary>Per member: whether something outside the group (another step, a fetch) reads its output, so it is written out.</summary>
    public bool[] Exported { get; } = exported;

    public override FusedKernel CreateKernel(KernelContext[] members) => new FusedElementwiseKernel(this, members);
}

/// <summary>
/// A Round and the MatMul reading it as its left operand (<see cref="RoundMatMulKernel"/>), then maybe the bias add
/// that is the product's only reader and a ReLU of that sum: members [Round, MatMul(, Add(, Relu))].
/// </summary>
/// <param name="roundDemand">Leading elements of Round's output that anything but the MatMul reads (null: all of
/// them, see <see cref="OutputDemand"/>); the kernel writes those rows and rounds the rest only in passing.</param>
internal sealed class RoundIntoProduct(int[] steps, long? roundDemand) : FusionGroup(steps)
{
    public long? RoundDemand { get; } = roundDemand;

    public override FusedKernel CreateKernel(KernelContext[] members) => new RoundMatMulKernel(members, RoundDemand);
}

/// <summary>HistogramSummary(x) and HistogramSummary(Relu(x)) (<see cref="ReluHistogramKernel"/>); members [x's, Relu's].</summary>
internal sealed class ReluHistogramPair(int[] steps) : FusionGroup(steps)
{
    public override FusedKernel CreateKernel(KernelContext[] members) => new ReluHistogramKernel(members);
}
