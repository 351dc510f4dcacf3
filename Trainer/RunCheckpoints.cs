using TfMnist.Checkpoint;
using TfMnist.Runtime;
using TfMnist.Saving;

namespace TfMnist.Trainer;

/// <summary>
/// Which checkpoint a run writes and which one --resume continues. A finished run saves
/// &lt;model-dir&gt;/mnist and makes it current. An interrupted run never replaces a model: when
/// the directory already has a current checkpoint, it saves beside it as mnist-&lt;global step&gt;,
/// listed in all_model_checkpoint_paths while model_checkpoint_path keeps naming the old one (so
/// the predictor keeps using it); only into an empty directory does it save as mnist.
/// </summary>
public static class RunCheckpoints
{
    /// <summary>
    /// The newest checkpoint written to <paramref name="modelDir"/>: the last entry of
    /// all_model_checkpoint_paths (after an interrupted run, its mnist-&lt;step&gt;), else the current one.
    /// </summary>
    public static string ResumePrefix(string modelDir)
    {
        var state = CheckpointState.Read(modelDir)
            ?? throw new IOException($"--resume: there is no checkpoint in '{Path.GetFullPath(modelDir)}' (no '{CheckpointState.FileName}' file).");
        string newest = state.AllModelCheckpointPaths.Count > 0 ? state.AllModelCheckpointPaths[^1] : state.ModelCheckpointPath;
        string prefix = CheckpointState.Resolve(modelDir, newest);
        if (newest.Length == 0 || !File.Exists(BundleFiles.IndexPath(prefix)))
            throw new IOException($"--resume: the checkpoint '{prefix}' named in '{Path.Combine(modelDir, CheckpointState.FileName)}' does not exist.");
        return prefix;
    }

    /// <summary>Saves per the policy above; returns the prefix written and the line that tells the user which checkpoint is current.</summary>
    public static (string Prefix, string Message) Save(Saver saver, Session session, TrainerOptions options, long globalStep, bool interrupted)
    {
        string? current = CheckpointState.LatestCheckpoint(options.ModelDir);
        if (!interrupted || current is null)
        {
            string prefix = saver.Save(session, options.CheckpointPrefix);
            return (prefix, $"Model saved to {prefix} (.index, .data-00000-of-00001, .meta; {Path.Combine(options.ModelDir, CheckpointState.FileName)}); "
                + $"current checkpoint: {prefix} (global step {globalStep}).");
        }
        string side = $"{options.CheckpointPrefix}-{globalStep}";
        saver.Save(session, side, makeCurrent: false);
        return (side, $"Interrupted run saved to {side} (global step {globalStep}); the current checkpoint is still {current}, unchanged. "
            + "Continue the interrupted run with --resume.");
    }
}
