using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// A float op that can run tile by tile inside a fused elementwise loop (see
/// the runtime's ElementwiseFusion): output element i depends only on element i of each
/// full-size operand and on the single value of a one-element operand, so computing any sub-range
/// gives exactly the bits the op's own whole-tensor kernel gives there.
/// </summary>
internal interface ITileKernel
{
    /// <summary>How many leading inputs are elementwise float operands (RandomUniform: none, its input is a shape).</summary>
    int TileOperandCount { get; }

    /// <summary>The output shape of an op without operands, from this run's inputs (checked as the op's kernel checks it).</summary>
    ReadOnlySpan<int> SourceShape(KernelContext ctx) => throw new NotSupportedException($"'{ctx.Op.Name}' has operands.");

    /// <summary>State drawn once per run before any tile (RandomUniform: its stream's start), in the op's own order.</summary>
    ulong BeginRun(KernelContext ctx) => 0;

    /// <summary>
    /// Output elements [first, first + output.Length). Operands have the output's length or length 1; unused
    /// operands are empty. <paramref name="runState"/> is what <see cref="BeginRun"/> returned.
    /// </summary>
    void Tile(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, long first, ulong runState);
}
