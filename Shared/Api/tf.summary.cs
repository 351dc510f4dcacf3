#pragma warning disable CS8981
#pragma warning disable IDE1006
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Api;

public static partial class tf
{
    public static class summary
    {
        public static Tensor scalar(string name, Tensor tensor) => ScalarSummaryOp.Create(name, tensor);
        public static Tensor histogram(string name, Tensor values) => HistogramSummaryOp.Create(name, values);
        public static Tensor image(string name, Tensor tensor, int max_outputs = 3) => ImageSummaryOp.Create(name, tensor, max_outputs);
        public static Tensor merge(IReadOnlyList<Tensor> inputs) => MergeSummaryOp.Create(inputs);
        public static Tensor? merge_all() => MergeSummaryOp.MergeAll(Graph.Current);

        public static Summary.FileWriter FileWriter(string logdir, Graph? graph = null, TimeSpan? flush_interval = null) =>
            new(logdir, graph?.ToGraphDef(addShapes: true), flush_interval);
    }
}
