using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>RandomUniform: samples uniform in [0, 1) in a tensor of the given shape.</summary>
public sealed class RandomUniformOp : OpDefinition, ITileKernel
{
    int ITileKernel.TileOperandCount => 0;

    ReadOnlySpan<int> ITileKernel.SourceShape(KernelContext ctx) => RandomStandardNormalOp.CheckedShape(ctx);

    // One draw per run, as FillUniform makes; element i is then a pure function of (start, i).
    ulong ITileKernel.BeginRun(KernelContext ctx)
    {
        var rng = OpRandomGenerators.For(ctx);
        lock (rng) return rng.NextUInt64();
    }

    void ITileKernel.Tile(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, long first, ulong runState) =>
        RandomGenerator.FillUniformAt(output, runState, first);

    public override string Type => "RandomUniform";
    public override bool IsStateful => true;

    // TF: ops.NotDifferentiable("RandomUniform").
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => [RandomStandardNormalOp.RandomShape(op)];

    public override void Compute(KernelContext ctx)
    {
        var output = RandomStandardNormalOp.RandomOutput(ctx);
        var rng = OpRandomGenerators.For(ctx);
        lock (rng) rng.FillUniform(output.FloatArray, output.Size);
    }

    /// <summary>The raw op: attrs seed, seed2 (0 = unseeded), dtype and T (the shape's type, int32).</summary>
    public static Tensor Create(Tensor shape, DType dtype = DType.Float, long seed = 0, long seed2 = 0, string name = "RandomUniform") =>
        OpBuilder.Create(shape.Graph, "RandomUniform", name, [shape],
            ("seed", Attr.Int(seed)), ("seed2", Attr.Int(seed2)), ("dtype", Attr.Type(dtype)), OpBuilder.T(shape.DType)).Output;
}
