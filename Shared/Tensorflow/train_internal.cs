#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Checkpoint;
using TfMnist.Saving;
using EngineGraph = TfMnist.Framework.Graph;
using EngineSaver = TfMnist.Saving.Saver;

namespace Tensorflow;

public sealed partial class tensorflow
{
    /// <summary>tf.train: optimizers, the Saver, checkpoint helpers.</summary>
    public train_internal train { get; } = new();
}

/// <summary>tf.train (TF1).</summary>
public sealed class train_internal
{
    public Optimizer GradientDescentOptimizer(float learning_rate, bool use_locking = false, string name = "GradientDescent") =>
        new(new TfMnist.Train.GradientDescentOptimizer(learning_rate, name));

    /// <summary>Adam with TF's slots ("&lt;var&gt;/Adam", "&lt;var&gt;/Adam_1") and "beta1_power"/"beta2_power".</summary>
    public Optimizer AdamOptimizer(float learning_rate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f,
        bool use_locking = false, string name = "Adam") =>
        new(new TfMnist.Train.AdamOptimizer(learning_rate, beta1, beta2, epsilon, name));

    /// <summary>Save and restore nodes ("save/...") for the given variables, or every global variable of the default graph.</summary>
    public Saver Saver(IVariableV1[]? var_list = null, int max_to_keep = 5) =>
        new(EngineSaver.Build(EngineGraph.Current, var_list?.Select(v => ((RefVariable)v).Variable).ToList(), max_to_keep));

    /// <summary>The newest checkpoint prefix recorded in &lt;dir&gt;/checkpoint, or null.</summary>
    public string? latest_checkpoint(string checkpoint_dir, string? latest_filename = null) => CheckpointState.LatestCheckpoint(checkpoint_dir);

    /// <summary>Imports a MetaGraphDef (.meta) into the default graph; its Saver, or null when it has none.</summary>
    public Saver? import_meta_graph(string meta_graph_or_file, bool clear_devices = false, string import_scope = "") =>
        MetaGraphImporter.Import(EngineGraph.Current, meta_graph_or_file) is { } saver ? new Saver(saver) : null;

    /// <summary>Writes the graph as a binary GraphDef; the text form (as_text) is not supported.</summary>
    public string write_graph(Graph graph, string logdir, string name, bool as_text = true)
    {
        if (as_text) throw new NotSupportedByEngineException("tf.train.write_graph(as_text: true) (text-format GraphDef)");
        Directory.CreateDirectory(logdir);
        string path = Path.Combine(logdir, name);
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(graph.as_graph_def()));
        return path;
    }
}

/// <summary>TF's Optimizer: minimize = compute_gradients + apply_gradients (one update per variable).</summary>
public sealed class Optimizer(TfMnist.Train.Optimizer value)
{
    /// <summary>The engine's optimizer this wraps.</summary>
    public TfMnist.Train.Optimizer Value { get; } = value;

    /// <summary>The update op; with <paramref name="global_step"/>, it also adds 1 to that variable.</summary>
    public Operation minimize(Tensor loss, IVariableV1? global_step = null, List<IVariableV1>? var_list = null, string? name = null) =>
        Operation.From(Value.Minimize(loss, var_list?.Select(v => ((RefVariable)v).Variable).ToList(), name,
            globalStep: (global_step as RefVariable)?.Variable));
}

/// <summary>TF's Saver: writes and restores V2 checkpoints (index, data, meta, the "checkpoint" state file).</summary>
public sealed class Saver(EngineSaver value)
{
    /// <summary>The engine's saver this wraps.</summary>
    public EngineSaver Value { get; } = value;

    /// <summary>Saves the variables to <paramref name="save_path"/> (with "-&lt;global_step&gt;" appended when given); returns the prefix.</summary>
    public string save(Session sess, string save_path, int? global_step = null, bool write_meta_graph = true) =>
        Value.Save(sess.Value, global_step is int step ? $"{save_path}-{step}" : save_path, write_meta_graph);

    public void restore(Session sess, string save_path) => Value.Restore(sess.Value, save_path);

    public static implicit operator EngineSaver(Saver saver) => saver.Value;
}
