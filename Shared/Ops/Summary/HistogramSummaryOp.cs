using TfMnist.Core;
using TfMnist.Framework;
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
        var values = ctx.Input(1);
        if (values.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' histograms float32 values only.");
        ctx.Output(0, DType.String, []).Strings[0] = HistogramOf(ctx).SummarizeToSummaryBytes(values.FloatArray, values.Size, TagOf(ctx));
    }

    /// <summary>The summary tag this run feeds the op.</summary>
    private static string TagOf(KernelContext ctx) => System.Text.Encoding.UTF8.GetString(ctx.Input(0).Strings[0]);

    /// <summary>The op's Histogram on this thread: one (and its 1551 counters) per op and thread, so no allocation per step.</summary>
    private static Histogram HistogramOf(KernelContext ctx) =>
        ctx.Session.GetOpState(ctx.Op, static (_, _) => new ThreadLocal<Histogram>(() => new Histogram())).Value!;

    public static Tensor Create(string name, Tensor values) => SummaryScope.Build("HistogramSummary", name, "tag", values);
}
