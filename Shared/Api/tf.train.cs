#pragma warning disable CS8981
#pragma warning disable IDE1006
using TfMnist.Checkpoint;
using TfMnist.Framework;
using TfMnist.Train;
using TfMnist.Ops;
using TfMnist.Saving;

namespace TfMnist.Api;

public static partial class tf
{
    public static class train
    {
        public static GradientDescentOptimizer GradientDescentOptimizer(float learning_rate, string name = "GradientDescent") =>
            new(learning_rate, name);

        /// <summary>tf.train.Saver(): save/restore nodes for every global variable of the current graph.</summary>
        public static Saver Saver(IReadOnlyList<Variable>? var_list = null, int max_to_keep = 5) =>
            Saving.Saver.Build(Graph.Current, var_list, max_to_keep);

        /// <summary>The newest checkpoint prefix recorded in &lt;dir&gt;/checkpoint, or null.</summary>
        public static string? latest_checkpoint(string checkpoint_dir) => CheckpointState.LatestCheckpoint(checkpoint_dir);

        public static Saver? import_meta_graph(string meta_graph_path) => MetaGraphImporter.Import(Graph.Current, meta_graph_path);
    }
}
