#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using Tensorflow.NumPy;
using TfMnist.Ops;
using EngineGraph = TfMnist.Framework.Graph;
using EngineWriter = TfMnist.Summary.FileWriter;

namespace Tensorflow;

public sealed partial class tensorflow
{
    /// <summary>tf.summary: TensorBoard summaries and the event-file writer.</summary>
    public summary_internal summary { get; } = new();
}

/// <summary>tf.summary (TF1): summary ops, merged, written by a FileWriter that TensorBoard reads.</summary>
public sealed class summary_internal
{
    public Tensor scalar(string name, Tensor tensor) => ScalarSummaryOp.Create(name, tensor);

    public Tensor histogram(string name, Tensor values) => HistogramSummaryOp.Create(name, values);

    public Tensor image(string name, Tensor tensor, int max_outputs = 3) => ImageSummaryOp.Create(name, tensor, max_outputs);

    public Tensor merge(Tensor[] inputs, string? name = null) => MergeSummaryOp.Create([.. inputs.Select(i => i.Value)]);

    /// <summary>Every summary of the default graph merged into one, or null when there is none.</summary>
    public Tensor? merge_all(string key = "summaries") =>
        MergeSummaryOp.MergeAll(EngineGraph.Current) is { } merged ? Tensor.From(merged) : null;

    public FileWriter FileWriter(string logdir, Graph? graph = null, int max_queue = 10, int flush_secs = 120) =>
        new(logdir, graph, TimeSpan.FromSeconds(flush_secs));
}

/// <summary>TF's summary FileWriter: an events file TensorBoard reads, with the graph when given.</summary>
public sealed class FileWriter(string logdir, Graph? graph, TimeSpan flushInterval) : IDisposable
{
    /// <summary>The engine's writer (a background thread frames the records).</summary>
    public EngineWriter Value { get; } = new(logdir, graph?.Value.ToGraphDef(addShapes: true), flushInterval);

    public string get_logdir() => logdir;

    /// <summary>Writes a serialized Summary (the value a summary op gives) at <paramref name="global_step"/>.</summary>
    public void add_summary(NDArray summary, long global_step = 0) => Value.AddSummary(summary.Value, global_step);

    public void add_summary(byte[] summary, long global_step = 0) => Value.AddSummary(summary, global_step);

    public void add_run_metadata(RunMetadata run_metadata, string tag, long global_step = 0) =>
        Value.AddRunMetadata(run_metadata.Value, tag, global_step);

    public void add_graph(Graph graph) => Value.AddGraph(graph.Value.ToGraphDef(addShapes: true));

    public void flush() => Value.Flush();

    public void close() => Value.Close();

    public void Dispose() => Value.Dispose();
}
