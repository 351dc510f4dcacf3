using Google.Protobuf;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>ScalarSummary: a serialized Summary with one simple_value (tf.summary.scalar).</summary>
public sealed class ScalarSummaryOp : OpDefinition
{
    public override string Type => "ScalarSummary";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.String, Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        var tags = ctx.Input(0).Strings;
        var values = ctx.Input(1);
        if (tags.Length != values.Size)
            throw new InvalidArgumentException($"tags and values not the same shape in '{ctx.Op.Name}'.");
        var summary = new Proto.Summary();
        for (int i = 0; i < tags.Length; i++)
            summary.Value.Add(new Proto.Summary.Types.Value
            {
                Tag = System.Text.Encoding.UTF8.GetString(tags[i]),
                SimpleValue = values.DType == DType.Float ? values.Floats[i] : values.ScalarFloat(),
            });
        SummaryOutput.Write(ctx, summary);
    }

    public static Tensor Create(string name, Tensor value) => SummaryScope.Build("ScalarSummary", name, "tags", value);
}

/// <summary>Writes a Summary proto as a string scalar output.</summary>
internal static class SummaryOutput
{
    public static void Write(KernelContext ctx, Proto.Summary summary)
    {
        var output = ctx.Output(0, DType.String, []);
        output.Strings[0] = summary.ToByteArray();
    }
}
