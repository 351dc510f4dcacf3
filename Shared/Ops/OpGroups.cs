namespace TfMnist.Ops;

// The registry's groups. Add an op to its group's list when you add its file.

internal static class ArrayOps
{
    public static OpDefinition[] All =>
    [
        new ConstOp(), new PlaceholderOp(), new IdentityOp(), new ShapeOp(), new FillOp(), new ZerosLikeOp(),
        new OnesLikeOp(), new ReshapeOp(), new BroadcastGradientArgsOp(), new TileOp(),
    ];
}

internal static class MathOps
{
    public static OpDefinition[] All =>
    [
        new AddOp(), new AddV2Op(), new AddNOp(), new SumOp(), new SubOp(), new MulOp(), new RealDivOp(), new NegOp(),
    ];
}

internal static class NnOps
{
    public static OpDefinition[] All => [];
}

internal static class StateOps
{
    public static OpDefinition[] All => [new NoOpOp()];
}

internal static class RandomOps
{
    public static OpDefinition[] All => [];
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
