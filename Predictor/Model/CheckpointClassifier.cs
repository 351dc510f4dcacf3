using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfMnist.Predictor;

/// <summary>
/// nn_predict.py: import_meta_graph, restore latest_checkpoint, find the input, output and (when
/// present) keep_prob tensors by name, and run them. One restored session serves concurrent
/// callers: a run's scratch buffers are per call, and the graph is finalized after loading.
/// </summary>
public sealed class CheckpointClassifier : IDigitClassifier, IDisposable
{
    private readonly Session _session;
    private readonly Tensor _input;
    private readonly Tensor _output;
    private readonly FeedItem[] _constantFeeds;
    private readonly bool _outputIsProbability;

    public CheckpointClassifier(ModelOptions options)
    {
        string dir = options.ModelDirectory;
        string prefix = CheckpointLocator.LatestPrefix(dir);
        string metaPath = prefix + ".meta";
        if (!File.Exists(metaPath))
            throw new ModelLoadException($"The checkpoint '{prefix}' has no graph file '{metaPath}'.");

        // nn_predict.py: import_meta_graph, restore the checkpoint, find the tensors by name.
        Graph = tf.Graph();
        try
        {
            Saver saver;
            using (Graph.as_default())
            {
                saver = tf.train.import_meta_graph(metaPath)
                    ?? throw new ModelLoadException($"'{metaPath}' holds no SaverDef, so its variables cannot be restored.");
            }
            _input = Find(options.InputTensor, "--input");
            _output = Find(options.OutputTensor, "--output");
            var feeds = new List<FeedItem>();
            // keep_prob exists only in graphs trained with dropout; the default name may be absent.
            if (TryFind(options.KeepProbTensor) is { } keepProb) feeds.Add(new FeedItem(keepProb, Scalar(keepProb, 1.0)));
            else if (options.KeepProbTensor != ModelOptions.DefaultKeepProbTensor)
                throw new ModelLoadException($"The graph has no tensor '{options.KeepProbTensor}' (--keep-prob).");
            foreach (var extra in options.Feeds)
            {
                var tensor = Find(extra.Tensor, "--feed");
                feeds.RemoveAll(f => f.Key == tensor);
                feeds.Add(new FeedItem(tensor, Scalar(tensor, extra.Value)));
            }
            _constantFeeds = feeds.ToArray();
            _outputIsProbability = _output.op.type == "Softmax";
            Graph.finalize();
            _session = tf.Session(Graph);
            saver.restore(_session, prefix);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new ModelLoadException($"Cannot load the model in '{dir}': {e.Message}", e);
        }
        CheckpointPrefix = prefix;
    }

    public Graph Graph { get; }
    public string CheckpointPrefix { get; }

    public DigitPrediction Predict(ReadOnlySpan<float> pixels784)
    {
        if (pixels784.Length != DigitPrediction.PixelCount)
            throw new ArgumentException($"Expected {DigitPrediction.PixelCount} pixels, got {pixels784.Length}.");
        var image = np.array(pixels784.ToArray()).reshape((1, DigitPrediction.PixelCount));
        var output = _session.run(_output, [(_input, image), .. _constantFeeds]);
        if (output.size != DigitPrediction.ClassCount)
            throw new InvalidOperationException($"'{_output.name}' gave {output.size} values for one image; expected {DigitPrediction.ClassCount}.");
        var scores = output.ToArray<float>();
        return DigitPrediction.FromProbabilities(_outputIsProbability ? scores : Softmax(scores));
    }

    public void Dispose() => _session.Dispose();

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        var result = logits.Select(v => MathF.Exp(v - max)).ToArray();
        float sum = result.Sum();
        for (int i = 0; i < result.Length; i++) result[i] /= sum;
        return result;
    }

    private Tensor Find(string name, string option) =>
        TryFind(name) ?? throw new ModelLoadException($"The graph has no tensor '{name}' ({option}).");

    private Tensor? TryFind(string name)
    {
        try
        {
            return Graph.get_tensor_by_name(name);
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static NDArray Scalar(Tensor tensor, double value) => tensor.dtype switch
    {
        TF_DataType.TF_FLOAT => (float)value,
        TF_DataType.TF_INT32 => (int)value,
        TF_DataType.TF_INT64 => (long)value,
        TF_DataType.TF_BOOL => value != 0,
        _ => throw new ModelLoadException($"Cannot feed a scalar to '{tensor.name}' of type {tensor.dtype.as_numpy_name()}."),
    };

    // Hook for `Predictor export` (ONNX, issue #17): the restored session and the tensors and feeds the options named.
    // The exporter works on the engine's types, below the facade.
    internal (TfMnist.Runtime.Session Session, TfMnist.Framework.Tensor Input, TfMnist.Framework.Tensor Output, TfMnist.Runtime.FeedItem[] Feeds) ExportSource =>
        (_session.Value, _input.Value, _output.Value, [.. _constantFeeds.Select(f => f.ToEngine(Graph.Value))]);
}
