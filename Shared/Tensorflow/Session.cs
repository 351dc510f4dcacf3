#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using Tensorflow.NumPy;
using TfMnist.Runtime;
using EngineSession = TfMnist.Runtime.Session;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's graph-mode Session over the engine's. `run` takes one fetch, a tuple of two to
/// five, or an array, and feeds as `(tensor, value)` tuples or FeedItems; tensor fetches give copies
/// the caller may keep, operation fetches give null.
/// </summary>
public sealed class Session : IDisposable
{
    private static readonly AsyncLocal<Session?> DefaultSession = new();

    public Session(Graph? graph = null, ConfigProto? config = null)
    {
        graph ??= Graph.From(TfMnist.Framework.Graph.Current);
        Value = new EngineSession(graph.Value) { Seed = graph.seed };
    }

    public Session(ConfigProto config) : this(null, config) { }

    public Session(EngineSession value) => Value = value;

    /// <summary>The engine's session this wraps (variables, plans, the reference switch).</summary>
    public EngineSession Value { get; }

    public Graph graph => Graph.From(Value.Graph);

    /// <summary>The session `eval()` without one uses: the innermost <see cref="as_default"/>.</summary>
    public static Session? Default => DefaultSession.Value;

    public Session as_default()
    {
        DefaultSession.Value = this;
        return this;
    }

    public void run(Operation op, params FeedItem[] feed_dict) => Run([op], feed_dict);

    public NDArray run(Tensor fetch, params FeedItem[] feed_dict) => Run([fetch], feed_dict)[0];

    public NDArray run(ITensorOrOperation fetch, params FeedItem[] feed_dict) => Run([fetch], feed_dict)[0];

    public NDArray run(RefVariable fetch, params FeedItem[] feed_dict) => Run([fetch.AsTensor()], feed_dict)[0];

    public (NDArray, NDArray) run((ITensorOrOperation, ITensorOrOperation) fetches, params FeedItem[] feed_dict)
    {
        var r = Run([fetches.Item1, fetches.Item2], feed_dict);
        return (r[0], r[1]);
    }

    public (NDArray, NDArray, NDArray) run((ITensorOrOperation, ITensorOrOperation, ITensorOrOperation) fetches, params FeedItem[] feed_dict)
    {
        var r = Run([fetches.Item1, fetches.Item2, fetches.Item3], feed_dict);
        return (r[0], r[1], r[2]);
    }

    public (NDArray, NDArray, NDArray, NDArray) run(
        (ITensorOrOperation, ITensorOrOperation, ITensorOrOperation, ITensorOrOperation) fetches, params FeedItem[] feed_dict)
    {
        var r = Run([fetches.Item1, fetches.Item2, fetches.Item3, fetches.Item4], feed_dict);
        return (r[0], r[1], r[2], r[3]);
    }

    public (NDArray, NDArray, NDArray, NDArray, NDArray) run(
        (ITensorOrOperation, ITensorOrOperation, ITensorOrOperation, ITensorOrOperation, ITensorOrOperation) fetches,
        params FeedItem[] feed_dict)
    {
        var r = Run([fetches.Item1, fetches.Item2, fetches.Item3, fetches.Item4, fetches.Item5], feed_dict);
        return (r[0], r[1], r[2], r[3], r[4]);
    }

    public NDArray[] run(ITensorOrOperation[] fetches, params FeedItem[] feed_dict) => Run(fetches, feed_dict);

    /// <summary>Python's `sess.run(fetches, feed_dict, options=..., run_metadata=...)`: a traced run fills the metadata.</summary>
    public NDArray[] run(ITensorOrOperation[] fetches, FeedItem[] feed_dict, RunOptions? options, RunMetadata? run_metadata) =>
        Run(fetches, feed_dict, options, run_metadata);

    private NDArray[] Run(IReadOnlyList<ITensorOrOperation> fetches, FeedItem[] feeds, RunOptions? options = null, RunMetadata? metadata = null)
    {
        var engineFetches = fetches.Select(ToFetch).ToArray();
        var engineFeeds = feeds.Select(f => f.ToEngine(Value.Graph)).ToArray();
        var values = Value.Run(engineFetches, engineFeeds, options?.Value, metadata?.Value);
        return [.. values.Select(v => v is null ? null! : new NDArray(v))];
    }

    private static Fetch ToFetch(ITensorOrOperation fetch) => fetch switch
    {
        Tensor t => t.Value,
        Operation o => o.Value,
        RefVariable v => v.AsTensor().Value,
        null => throw new ArgumentNullException(nameof(fetch), "A fetch is null."),
        _ => throw new TypeError($"Cannot fetch a {fetch.GetType().Name}."),
    };

    /// <summary>
    /// Python's Session.make_callable: fixed fetches and feeds, no plan lookup per call, results
    /// valid until the next call — the allocation-free form of `run` for a training loop.
    /// </summary>
    public Callable make_callable(Tensor[] fetches, Tensor[] feed_list, params Operation[] targets) =>
        Value.MakeCallable([.. fetches.Select(t => t.Value)], [.. feed_list.Select(t => t.Value)], [.. targets.Select(o => o.Value)]);

    public void close() => Dispose();

    public void Dispose()
    {
        if (DefaultSession.Value == this) DefaultSession.Value = null;
        Value.Dispose();
    }

    public static implicit operator EngineSession(Session session) => session.Value;
}
