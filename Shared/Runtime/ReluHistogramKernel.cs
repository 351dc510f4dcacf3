using System.Text;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Summary;

namespace TfMnist.Runtime;

/// <summary>
/// The histograms of a layer's pre-activation x and of its ReLU from one pass over x
/// (<see cref="Histogram.SummarizeWithReluToSummaryBytes"/>): the ReLU histogram's buckets, extremes and
/// sums follow from x's, so the test pass's second million-value histogram costs a second pair of sums instead of
/// a pass of bucket lookups. Both outputs have the bits of the two HistogramSummary kernels run on their own.
/// </summary>
/// <remarks>The kernel owns its two histograms' counters: one instance serves one run state, which runs on one
/// thread at a time, so unlike the op's own kernel it needs no per-thread state.</remarks>
internal sealed class ReluHistogramKernel(KernelContext[] members) : FusedKernel(members)
{
    private readonly Histogram _histogram = new(), _reluHistogram = new();

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
        var (bytes, reluBytes) = _histogram.SummarizeWithReluToSummaryBytes(values.FloatArray, values.Size, TagOf(linear),
            _reluHistogram, TagOf(relu));
        linear.Output(0, DType.String, []).Strings[0] = bytes;
        relu.Output(0, DType.String, []).Strings[0] = reluBytes;
    }

    /// <summary>The tag a HistogramSummary's first input feeds this run.</summary>
    private static string TagOf(KernelContext member) => Encoding.UTF8.GetString(member.Input(0).Strings[0]);
}
