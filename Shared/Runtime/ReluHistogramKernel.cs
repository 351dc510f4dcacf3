using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Runtime;

/// <summary>
/// The histograms of a layer's pre-activation x and of its ReLU from one pass over x
/// (<see cref="Summary.Histogram.SummarizeWithReluToSummaryBytes"/>): the ReLU histogram's buckets, extremes and
/// sums follow from x's, so the test pass's second million-value histogram costs a second pair of sums instead of
/// a pass of bucket lookups. Both outputs have the bits of the two HistogramSummary kernels run on their own.
/// </summary>
internal sealed class ReluHistogramKernel(KernelContext[] members) : FusedKernel(members)
{
    public override string Type => "_ReluHistogramPair";

    public override void Compute(KernelContext ctx)
    {
        Kernels.KernelProbe.Took(Kernels.KernelProbe.Path.FusedStep);
        var (linear, relu) = (Members[0], Members[1]);
        var values = linear.Input(1);
        if (values.DType != DType.Float)
        {
            RunUnfused();
            return;
        }
        var (histogram, reluHistogram) = (HistogramSummaryOp.HistogramOf(linear), HistogramSummaryOp.HistogramOf(relu));
        var (bytes, reluBytes) = histogram.SummarizeWithReluToSummaryBytes(values.FloatArray, values.Size, HistogramSummaryOp.TagOf(linear),
            reluHistogram, HistogramSummaryOp.TagOf(relu));
        linear.Output(0, DType.String, []).Strings[0] = bytes;
        relu.Output(0, DType.String, []).Strings[0] = reluBytes;
    }
}
