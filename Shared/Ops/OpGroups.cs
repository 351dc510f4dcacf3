using TfMnist.Framework;
namespace TfMnist.Ops;

// The registry's groups. Add an op to its group's list when you add its file.

internal static class ArrayOps
{
    public static OpDefinition[] All =>
    [
        new ConstOp(), new PlaceholderOp(), new IdentityOp(), new ShapeOp(), new FillOp(), new ZerosLikeOp(),
        new OnesLikeOp(), new ReshapeOp(), new BroadcastGradientArgsOp(), new TileOp(),
        new RankOp(), new SizeOp(), new ShapeNOp(), new SliceOp(), new PadOp(), new ConcatV2Op(), new ConcatOffsetOp(),
        new PackOp(), new UnpackOp(), new ExpandDimsOp(), new SqueezeOp(), new StopGradientOp(), new DynamicStitchOp(),
    ];
}

internal static class MathOps
{
    public static OpDefinition[] All =>
    [
        new AddOp(), new AddV2Op(), new AddNOp(), new SumOp(), new SubOp(), new MulOp(), new RealDivOp(), new NegOp(),
        new RoundOp(), new FloorOp(), new SquareOp(), new SqrtOp(), new SqrtGradOp(), new MeanOp(), new MaxOp(), new MinOp(),
        new ProdOp(), new ArgMaxOp(), new EqualOp(), new GreaterEqualOp(), new CastOp(), new MaximumOp(), new FloorDivOp(),
        new FloorModOp(), new SelectOp(), new RangeOp(), new MatMulOp(), new ExpOp(), new LogOp(), new Log1pOp(), new ReciprocalOp(),
        new ReciprocalGradOp(), new TanhOp(), new TanhGradOp(), new SigmoidOp(), new SigmoidGradOp(), new AbsOp(), new SignOp(),
        new LessOp(), new GreaterOp(), new LessEqualOp(), new MinimumOp(), new PowOp(),
    ];
}

internal static class NnOps
{
    public static OpDefinition[] All =>
    [
        new ReluOp(), new ReluGradOp(), new SoftmaxOp(), new LogSoftmaxOp(), new SoftmaxCrossEntropyWithLogitsOp(),
        new BiasAddOp(), new BiasAddGradOp(),
    ];
}

internal static class StateOps
{
    public static OpDefinition[] All => [new NoOpOp(), new VariableV2Op(), new VariableOp(), new AssignOp(), new ApplyGradientDescentOp(),
        new ApplyAdamOp(), new ApplyMomentumOp(), new AssignAddOp()];
}

// Partial: Ops/Random/RandomComposites.cs adds the public tf.random_normal / tf.random_uniform builders.
public static partial class RandomOps
{
    internal static OpDefinition[] All => [new RandomStandardNormalOp(), new RandomUniformOp(), new TruncatedNormalOp()];
}

internal static class SummaryOps
{
    public static OpDefinition[] All =>
        [new ScalarSummaryOp(), new HistogramSummaryOp(), new ImageSummaryOp(), new MergeSummaryOp()];
}

internal static class IoOps
{
    public static OpDefinition[] All => [new SaveV2Op(), new RestoreV2Op()];
}
