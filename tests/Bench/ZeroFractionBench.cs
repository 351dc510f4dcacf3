using TfMnist.Core;
using TfMnist.Kernels;
using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>
/// Which GEMM path each MatMul of the network takes as training goes on: the zero fraction of its left operand
/// (what <see cref="Gemm.MatMulPrefersSparse"/> samples), and the kernel chosen, for a training batch and the
/// test set, at a few steps of the default 10000-step schedule (about 10 s in all).
/// </summary>
internal static class ZeroFractionBench
{
    private static readonly int[] ReportSteps = [0, 100, 1000, 3000, 10000];

    public static void Run(string dataDir)
    {
        using var h = new NetworkHarness(dataDir);
        var matMuls = h.Graph.Operations.Where(o => o.Type == "MatMul").ToList();
        var feeds = h.FeedTensors;
        for (int step = 0; step <= ReportSteps[^1]; step++)
        {
            h.NextBatch();
            if (ReportSteps.Contains(step))
            {
                Report(h, matMuls, feeds, h.TrainValues, $"step {step} train", testSet: false);
                Report(h, matMuls, feeds, h.TestValues, $"step {step} test ", testSet: true);
            }
            h.Session.Run([h.Net.TrainStep], feeds.Select((t, i) => new FeedItem(t, h.TrainValues[i])).ToArray());
        }
    }

    private static void Report(NetworkHarness h, List<Framework.Operation> matMuls, Framework.Tensor[] feeds, NDArray[] values,
        string label, bool testSet)
    {
        var lefts = h.Session.Run(matMuls.Select(o => (Fetch)o.Inputs[0]).ToArray(),
            feeds.Select((t, i) => new FeedItem(t, values[i])).ToArray());
        var rights = h.Session.Run(matMuls.Select(o => (Fetch)o.Inputs[1]).ToArray(),
            feeds.Select((t, i) => new FeedItem(t, values[i])).ToArray());
        for (int i = 0; i < matMuls.Count; i++)
        {
            var (a, b) = (lefts[i]!, rights[i]!);
            // The test set only runs the forward products; the gradients' operands would be computed for nothing.
            if (testSet && matMuls[i].Name.Contains("gradients", StringComparison.Ordinal))
                continue;
            bool ta = matMuls[i].Attrs.GetBool("transpose_a", false), tb = matMuls[i].Attrs.GetBool("transpose_b", false);
            int m = ta ? a.Shape[1] : a.Shape[0], k = ta ? a.Shape[0] : a.Shape[1], n = tb ? b.Shape[0] : b.Shape[1];
            string path = Gemm.MatMulPrefersSparse(a.Floats, a.Shape[0], a.Shape[1], n) ? "sparse-left"
                : Gemm.Isa == GemmIsa.Scalar ? "scalar" : Gemm.ChooseKernel(Gemm.Isa, m, n, k, ta).ToString();
            Console.WriteLine($"{label} {matMuls[i].Name,-62} {m,5}x{k,-4}x{n,4} tA={ta,-5} tB={tb,-5} " +
                              $"A zeros {Gemm.ZeroFraction(a.Floats),5:P0} -> {path}");
        }
    }
}
