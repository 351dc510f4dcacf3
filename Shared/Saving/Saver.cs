using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Proto;
using TfMnist.Runtime;

namespace TfMnist.Saving;

/// <summary>
/// TF 1.x's tf.train.Saver (V2 format, one shard): builds the "save/" nodes — the prefix Const,
/// SaveV2 and its control_dependency, RestoreV2, one Assign per variable and restore_all — and
/// drives them by the SaverDef's tensor names, so a Saver rebuilt from an imported MetaGraphDef
/// works the same as the one that wrote it.
/// </summary>
public sealed class Saver
{
    private readonly Graph _graph;
    private readonly List<string> _lastCheckpoints = new();

    private Saver(Graph graph, SaverDef saverDef)
    {
        _graph = graph;
        SaverDef = saverDef;
    }

    public SaverDef SaverDef { get; }

    /// <summary>Builds save/restore nodes for <paramref name="variables"/> (default: all global variables).</summary>
    public static Saver Build(Graph graph, IReadOnlyList<Variable>? variables = null, int maxToKeep = 5)
    {
        var vars = (variables ?? graph.GetCollection<Variable>(GraphKeys.GlobalVariables))
            .OrderBy(v => v.Op.Name, StringComparer.Ordinal).ToList();
        if (vars.Count == 0) throw new InvalidOperationException("No variables to save.");
        using var scope = graph.NameScope("save");
        var filename = ConstOp.Create(NDArray.FromString("model"), "Const", graph);
        var names = vars.Select(v => v.Op.Name).ToList();
        var save = SaveV2Op.Create(filename, names, vars.Select(v => v.Ref).ToList());
        var saveTensor = ControlFlow.WithDependencies([save], filename);
        var restore = RestoreV2Op.Create(filename, names, vars.Select(v => v.Ref.DType).ToList());
        var assigns = vars.Select((v, i) =>
            AssignOp.Create(v.Ref, restore.Outputs[i], validateShape: v.Ref.Shape.IsFullyDefined).Op).ToList();
        var restoreAll = ControlFlow.Group(assigns, "restore_all");
        return new Saver(graph, new SaverDef
        {
            FilenameTensorName = filename.Name,
            SaveTensorName = saveTensor.Name,
            RestoreOpName = restoreAll.Name,
            MaxToKeep = maxToKeep,
            Sharded = false,
            KeepCheckpointEveryNHours = 10000f,
            Version = SaverDef.Types.CheckpointFormatVersion.V2,
        });
    }

    /// <summary>A Saver over an imported graph, driven by its SaverDef.</summary>
    public static Saver FromSaverDef(Graph graph, SaverDef saverDef)
    {
        graph.GetTensorByName(saverDef.FilenameTensorName);
        graph.GetTensorByName(saverDef.SaveTensorName);
        graph.GetOperationByName(saverDef.RestoreOpName);
        return new Saver(graph, saverDef);
    }

    /// <summary>
    /// Writes &lt;prefix&gt;.data-00000-of-00001 and .index, then &lt;prefix&gt;.meta, then the
    /// directory's "checkpoint" file — each through a temporary file renamed into place, so an
    /// interrupted save leaves the previous checkpoint usable. Returns the prefix.
    /// </summary>
    public string Save(Session session, string savePath, bool writeMetaGraph = true)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(savePath));
        if (directory is not null) Directory.CreateDirectory(directory);
        var filename = _graph.GetTensorByName(SaverDef.FilenameTensorName);
        session.Run([_graph.GetTensorByName(SaverDef.SaveTensorName)], [new FeedItem(filename, NDArray.FromString(savePath))]);
        if (writeMetaGraph) MetaGraphExporter.Write(_graph, SaverDef, savePath + ".meta");
        UpdateCheckpointState(savePath);
        return savePath;
    }

    public void Restore(Session session, string savePath)
    {
        if (!File.Exists(BundleFiles.IndexPath(savePath)))
            throw new FileNotFoundException($"The checkpoint '{savePath}' does not exist (no {Path.GetFileName(BundleFiles.IndexPath(savePath))}).");
        var filename = _graph.GetTensorByName(SaverDef.FilenameTensorName);
        session.Run([_graph.GetOperationByName(SaverDef.RestoreOpName)], [new FeedItem(filename, NDArray.FromString(savePath))]);
    }

    private void UpdateCheckpointState(string savePath)
    {
        string directory = Path.GetDirectoryName(savePath) is { Length: > 0 } d ? d : ".";
        // Recorded relative to the directory (TF's save_relative_paths), so a model folder can be
        // moved or copied and still restore.
        string recorded = Path.GetRelativePath(directory, savePath);
        _lastCheckpoints.Remove(recorded);
        _lastCheckpoints.Add(recorded);
        while (SaverDef.MaxToKeep > 0 && _lastCheckpoints.Count > SaverDef.MaxToKeep)
        {
            string old = CheckpointState.Resolve(directory, _lastCheckpoints[0]);
            _lastCheckpoints.RemoveAt(0);
            foreach (string file in new[] { BundleFiles.IndexPath(old), BundleFiles.DataPath(old), old + ".meta" })
                if (File.Exists(file)) File.Delete(file);
        }
        new CheckpointState(recorded, _lastCheckpoints).Write(directory);
    }
}
