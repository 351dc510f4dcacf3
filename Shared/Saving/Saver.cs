using System.Text;
using Google.Protobuf;
using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.IO;
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

    /// <summary>The file operations <see cref="Save"/> goes through (a test seam; the real disk by default).</summary>
    public IFileSystem FileSystem { get; set; } = LocalFileSystem.Instance;

    /// <summary>
    /// Writes &lt;prefix&gt;.index, .data-00000-of-00001 and (with <paramref name="writeMetaGraph"/>)
    /// .meta, and records them in the directory's "checkpoint" file, crash-safely: whenever the
    /// process dies, the state file names a complete checkpoint, the previous or the new one (see
    /// <see cref="CheckpointCommit"/>). The values are those SaveV2's inputs have in
    /// <paramref name="session"/>, encoded as SaveV2 encodes them. With <paramref name="makeCurrent"/>
    /// false the state keeps naming the previous checkpoint as current and lists this one beside it.
    /// Unlike TF's Saver, the list of kept checkpoints is read from the state file, so checkpoints
    /// of earlier processes count towards max_to_keep instead of being forgotten. Returns the prefix.
    /// </summary>
    public string Save(Session session, string savePath, bool writeMetaGraph = true, bool makeCurrent = true)
    {
        string full = Path.GetFullPath(savePath);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var (data, index) = EncodeVariables(session);
        byte[]? meta = writeMetaGraph ? MetaGraphExporter.Export(_graph, SaverDef).ToByteArray() : null;
        new CheckpointCommit(FileSystem).Commit(directory, Path.GetFileName(full), new CheckpointFileSet(index, data, meta),
            makeCurrent, SaverDef.MaxToKeep);
        return savePath;
    }

    /// <summary>
    /// The bundle SaveV2 would write, from the values of its inputs (the SaverDef's save tensor
    /// depends on it), so that the files can be written through <see cref="FileSystem"/>.
    /// </summary>
    private (byte[] Data, byte[] Index) EncodeVariables(Session session)
    {
        var saveTensor = _graph.GetTensorByName(SaverDef.SaveTensorName);
        var saveOp = saveTensor.Op.ControlInputs.FirstOrDefault(op => op.Type == "SaveV2")
            ?? throw new InvalidOperationException($"The save tensor '{SaverDef.SaveTensorName}' does not depend on a SaveV2 op.");
        var values = session.Run(saveOp.Inputs.Skip(1).Select(t => (Fetch)t).ToArray());
        var names = values[0]!.Strings;
        var slices = values[1]!.Strings;
        var writer = new BundleWriter("encoded-in-memory");
        for (int i = 0; i < names.Length; i++)
        {
            if (slices[i].Length != 0)
                throw new NotSupportedException($"'{saveOp.Name}': partitioned (sliced) variables are not supported.");
            var value = values[2 + i]!;
            writer.Add(Encoding.UTF8.GetString(names[i]), value.DType.ToProto(), value.Shape.Select(d => (long)d).ToArray(), value.RawBytes);
        }
        return writer.Encode();
    }

    public void Restore(Session session, string savePath)
    {
        if (!File.Exists(BundleFiles.IndexPath(savePath)))
            throw new FileNotFoundException($"The checkpoint '{savePath}' does not exist (no {Path.GetFileName(BundleFiles.IndexPath(savePath))}).");
        var filename = _graph.GetTensorByName(SaverDef.FilenameTensorName);
        session.Run([_graph.GetOperationByName(SaverDef.RestoreOpName)], [new FeedItem(filename, NDArray.FromString(savePath))]);
    }
}
