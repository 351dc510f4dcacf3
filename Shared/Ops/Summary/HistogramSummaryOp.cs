using TfMnist.Framework;
using TfMnist.Runtime;
using TfMnist.Summary;

namespace TfMnist.Ops;

/// <summary>HistogramSummary: TF's default-bucket histogram of all values (tf.summary.histogram).</summary>
public sealed class HistogramSummaryOp : OpDefinition
{
    public override string Type => "HistogramSummary";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.String, Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        string tag = System.Text.Encoding.UTF8.GetString(ctx.Input(0).Strings[0]);
        var values = ctx.Input(1);
        if (values.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' histograms float32 values only.");
        // One Histogram (and its 1551 counters) per op and thread: no allocation per step.
        var histogram = ctx.Session.GetOpState(ctx.Op, static (_, _) => new ThreadLocal<Histogram>(() => new Histogram())).Value!;
        ctx.Output(0, DType.String, []).Strings[0] = histogram.SummarizeToSummaryBytes(values.FloatArray, values.Size, tag);
    }

    public static Tensor Create(string name, Tensor values) => SummaryScope.Build("HistogramSummary", name, "tag", values);
}
