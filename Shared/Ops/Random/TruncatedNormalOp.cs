using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TruncatedNormal: samples of N(0, 1) with every value beyond two standard deviations redrawn, so all
/// values lie in [-2, 2] (what tf.truncated_normal and truncated_normal_initializer build on).
/// </summary>
public sealed class TruncatedNormalOp : OpDefinition
{
    /// <summary>TF's bound: values whose magnitude exceeds it are redrawn.</summary>
    public const float Bound = 2f;

    public override string Type => "TruncatedNormal";
    public override bool IsStateful => true;

    // TF: ops.NotDifferentiable("TruncatedNormal").
    public override bool IsNotDifferentiable => true;

    // Same attrs and shape rule as RandomStandardNormal: seed, seed2, dtype, T.
    public override OutputSpec[] InferOutputs(Operation op) => [RandomStandardNormalOp.RandomShape(op)];

    public override void Compute(KernelContext ctx)
    {
        var output = RandomStandardNormalOp.RandomOutput(ctx);
        var values = output.Floats;
        var rng = OpRandomGenerators.For(ctx);
        Span<float> redraw = stackalloc float[1];
        lock (rng)
        {
            rng.FillNormal(values);
            // About 4.6% of draws fall outside; each is redrawn until it lands inside.
            for (int i = 0; i < values.Length; i++)
                while (MathF.Abs(values[i]) > Bound)
                {
                    rng.FillNormal(redraw);
                    values[i] = redraw[0];
                }
        }
    }

    /// <summary>The raw op: attrs seed, seed2 (0 = unseeded), dtype and T (the shape's type, int32).</summary>
    public static Tensor Create(Tensor shape, DType dtype = DType.Float, long seed = 0, long seed2 = 0, string name = "TruncatedNormal") =>
        OpBuilder.Create(shape.Graph, "TruncatedNormal", name, [shape],
            ("seed", Attr.Int(seed)), ("seed2", Attr.Int(seed2)), ("dtype", Attr.Type(dtype)), OpBuilder.T(shape.DType)).Output;
}
