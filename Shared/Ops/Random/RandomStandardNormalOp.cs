using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>RandomStandardNormal: samples of N(0, 1) in a tensor of the given shape.</summary>
public sealed class RandomStandardNormalOp : OpDefinition
{
    public override string Type => "RandomStandardNormal";
    public override bool IsStateful => true;

    // TF: ops.NotDifferentiable("RandomStandardNormal").
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) => [RandomShape(op)];

    /// <summary>TF's RandomShape: the shape input's value when constant, else its length as the rank.</summary>
    internal static OutputSpec RandomShape(Operation op)
    {
        var shape = op.Inputs[0];
        var dtype = op.Attrs.GetType("dtype");
        if (shape.DType != DType.Int32)
            throw ShapeError(op, $"shape '{shape.Name}' must be int32, got {shape.DType.TfName()}");
        if (shape.Shape.IsKnownRank && shape.Shape.Rank != 1)
            throw ShapeError(op, $"shape '{shape.Op.Name}' must be a vector, got shape {shape.Shape}");
        if (dtype != DType.Float)
            throw new NotSupportedException($"'{op.Name}' ({op.Type}): dtype {dtype.TfName()} is not supported; only float32.");
        if (ConstantValue.Ints(shape) is { } dims)
        {
            if (dims.Any(d => d < 0)) throw ShapeError(op, $"shape [{string.Join(",", dims)}] has a negative dimension");
            return new(dtype, new Shape(dims));
        }
        return new(dtype, shape.Shape.IsFullyDefined ? Shape.UnknownOfRank(shape.Shape[0]) : Shape.Unknown);
    }

    /// <summary>The output of the shape the op's input gives, checked.</summary>
    internal static NDArray RandomOutput(KernelContext ctx) => ctx.Output(0, DType.Float, CheckedShape(ctx));

    /// <summary>The shape input's value, checked for negative dimensions.</summary>
    internal static ReadOnlySpan<int> CheckedShape(KernelContext ctx)
    {
        var dims = ctx.Input(0).Ints;
        foreach (int d in dims)
            if (d < 0) throw new InvalidArgumentException($"Shape of '{ctx.Op.Name}' ({ctx.Op.Type}) has a negative dimension: [{string.Join(",", dims.ToArray())}]");
        return dims;
    }

    public override void Compute(KernelContext ctx)
    {
        var output = RandomOutput(ctx);
        var rng = OpRandomGenerators.For(ctx);
        lock (rng) rng.FillNormal(output.Floats);
    }

    /// <summary>The raw op: attrs seed, seed2 (0 = unseeded), dtype and T (the shape's type, int32).</summary>
    public static Tensor Create(Tensor shape, DType dtype = DType.Float, long seed = 0, long seed2 = 0, string name = "RandomStandardNormal") =>
        OpBuilder.Create(shape.Graph, "RandomStandardNormal", name, [shape],
            ("seed", Attr.Int(seed)), ("seed2", Attr.Int(seed2)), ("dtype", Attr.Type(dtype)), OpBuilder.T(shape.DType)).Output;
}
