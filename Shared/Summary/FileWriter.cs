using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TF 1.x's tf.summary.FileWriter: an event file in <c>logdir</c>, the graph written first when
/// given, summaries and run metadata added by step, written off the caller's thread. It takes the
/// graph as a GraphDef, so it knows event files, not graphs (the tf.summary facade converts).
/// </summary>
public sealed class FileWriter : IDisposable
{
    private readonly EventFileWriter _events;

    public FileWriter(string logdir, GraphDef? graph = null, TimeSpan? flushInterval = null)
    {
        try
        {
            _events = new EventFileWriter(logdir, flushInterval);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write TensorBoard logs to '{Path.GetFullPath(logdir)}': {e.Message}", e);
        }
        if (graph is not null) AddGraph(graph);
    }

    public string FilePath => _events.FilePath;

    public void AddGraph(GraphDef graph) => _events.AddGraph(graph);

    /// <summary>Adds a serialized Summary (the string a summary op produced) at <paramref name="step"/>.</summary>
    public void AddSummary(NDArray summary, long step) => _events.AddSummary(summary.Strings[0], step);

    public void AddSummary(byte[] serializedSummary, long step) => _events.AddSummary(serializedSummary, step);

    public void AddRunMetadata(RunMetadata metadata, string tag, long step) => _events.AddRunMetadata(metadata, tag, step);

    public void Flush() => _events.Flush();

    public void Close() => _events.Close();

    public void Dispose() => _events.Dispose();
}
