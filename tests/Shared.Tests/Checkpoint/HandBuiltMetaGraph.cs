using Google.Protobuf;
using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Proto;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// Writes a MetaGraphDef node by node the way a given TensorFlow version's Python API lays it out
/// (names, attrs, colocation, the Saver's nodes), without using our graph builders: the importer
/// then meets graphs it did not write itself. Only public format facts (op names, attr names,
/// SaverDef fields) are encoded here.
/// </summary>
internal sealed class HandBuiltMetaGraph(int producer, string tensorflowVersion)
{
    private readonly GraphDef _graph = new() { Versions = new VersionDef { Producer = producer } };
    private readonly List<VariableDef> _variables = new();
    private readonly List<(string Name, DType DType)> _saved = new();
    private readonly HashSet<string> _nonTrainable = new(StringComparer.Ordinal);

    public GraphDef GraphDef => _graph;

    public NodeDef Node(string name, string op, string[] inputs, params (string Key, AttrValue Value)[] attrs)
    {
        var node = new NodeDef { Name = name, Op = op };
        node.Input.AddRange(inputs);
        foreach (var (key, value) in attrs) node.Attr[key] = value;
        _graph.Node.Add(node);
        return node;
    }

    public string Const(string name, NDArray value, params (string Key, AttrValue Value)[] extra)
    {
        Node(name, "Const", [], [("dtype", Attr.Type(value.DType)), ("value", Attr.Tensor(value)), .. extra]);
        return name;
    }

    public string Placeholder(string name, Shape shape) =>
        Node(name, "Placeholder", [], ("dtype", Attr.Type(DType.Float)), ("shape", Attr.Shape(shape))).Name;

    public static (string, AttrValue) T => ("T", Attr.Type(DType.Float));

    public static (string, AttrValue) ColocatedWith(string variable) => ("_class", Attr.StringList(["loc:@" + variable]));

    /// <summary>
    /// A ref variable as tf.Variable / tf.get_variable write it: the variable node (<paramref name="op"/>:
    /// "Variable" before TF 1.0, "VariableV2" after), "&lt;name&gt;/Assign" of <paramref name="initialValue"/>
    /// (colocated) and the "&lt;name&gt;/read" Identity (colocated). Recorded for the collections and the Saver.
    /// </summary>
    public string Variable(string op, string name, Shape shape, string initialValue, bool trainable = true,
        bool writeInitialValueName = true, bool writeTrainable = true)
    {
        Node(name, op, [], ("container", Attr.String("")), ("dtype", Attr.Type(DType.Float)),
            ("shape", Attr.Shape(shape)), ("shared_name", Attr.String("")));
        Node(name + "/Assign", "Assign", [name, initialValue], T, ColocatedWith(name),
            ("use_locking", Attr.Bool(true)), ("validate_shape", Attr.Bool(true)));
        Node(name + "/read", "Identity", [name], T, ColocatedWith(name));
        _variables.Add(new VariableDef
        {
            VariableName = name + ":0",
            InitializerName = name + "/Assign",
            SnapshotName = name + "/read:0",
            InitialValueName = writeInitialValueName ? initialValue + ":0" : "",
            Trainable = writeTrainable && trainable,
        });
        if (!trainable) _nonTrainable.Add(name);
        _saved.Add((name, DType.Float));
        return name;
    }

    /// <summary>
    /// The Saver of TF 0.12 to about 1.4 writing V2 checkpoints: "save/SaveV2" of every variable, then
    /// one RestoreV2 per variable ("save/RestoreV2", "save/RestoreV2_1", ...: one name, one dtype each)
    /// feeding "save/Assign", "save/Assign_1", ... grouped by "save/restore_all".
    /// </summary>
    public SaverDef SaverWithOneRestorePerVariable()
    {
        var sorted = SortedSaved();
        SaveNodes(sorted);
        var assigns = new List<string>();
        for (int i = 0; i < sorted.Count; i++)
        {
            string suffix = i == 0 ? "" : "_" + i;
            string restore = "save/RestoreV2" + suffix;
            Const(restore + "/tensor_names", SaveV2Op.Strings([sorted[i].Name]));
            Const(restore + "/shape_and_slices", SaveV2Op.Strings([""]));
            Node(restore, "RestoreV2", ["save/Const", restore + "/tensor_names", restore + "/shape_and_slices"],
                ("dtypes", Attr.TypeList([sorted[i].DType])));
            assigns.Add(Assign("save/Assign" + suffix, sorted[i].Name, restore));
        }
        return RestoreAll(assigns);
    }

    /// <summary>The Saver of later TF 1.x: one RestoreV2 with an output per variable (sorted by name).</summary>
    public SaverDef SaverWithOneBulkRestore()
    {
        var sorted = SortedSaved();
        SaveNodes(sorted);
        Const("save/RestoreV2/tensor_names", SaveV2Op.Strings(sorted.Select(s => s.Name).ToList()), ("_output_shapes", ShapesAttr(sorted.Count)));
        Const("save/RestoreV2/shape_and_slices", SaveV2Op.Strings(sorted.Select(_ => "").ToList()));
        Node("save/RestoreV2", "RestoreV2", ["save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"],
            ("dtypes", Attr.TypeList(sorted.Select(s => s.DType))));
        var assigns = sorted.Select((s, i) =>
            Assign(i == 0 ? "save/Assign" : "save/Assign_" + i, s.Name, i == 0 ? "save/RestoreV2" : "save/RestoreV2:" + i)).ToList();
        return RestoreAll(assigns);
    }

    public MetaGraphDef Build(SaverDef saver)
    {
        var meta = new MetaGraphDef
        {
            MetaInfoDef = new MetaGraphDef.Types.MetaInfoDef { MetaGraphVersion = "v" + tensorflowVersion, TensorflowVersion = tensorflowVersion },
            GraphDef = _graph,
            SaverDef = saver,
        };
        var all = new CollectionDef { BytesList = new CollectionDef.Types.BytesList() };
        var trainable = new CollectionDef { BytesList = new CollectionDef.Types.BytesList() };
        foreach (var def in _variables)
        {
            all.BytesList.Value.Add(def.ToByteString());
            if (!_nonTrainable.Contains(def.VariableName[..^2])) trainable.BytesList.Value.Add(def.ToByteString());
        }
        meta.CollectionDef[GraphKeys.GlobalVariables] = all;
        meta.CollectionDef[GraphKeys.TrainableVariables] = trainable;
        return meta;
    }

    /// <summary>Writes the checkpoint files (bundle, .meta, "checkpoint") a TF Saver leaves, with our BundleWriter.</summary>
    public static string WriteCheckpoint(string directory, MetaGraphDef meta, IReadOnlyDictionary<string, NDArray> values)
    {
        string prefix = Path.Combine(directory, "model.ckpt-1");
        var writer = new BundleWriter(prefix);
        foreach (var (name, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            writer.Add<float>(name, value.Shape.Select(d => (long)d).ToArray(), value.Floats);
        writer.Finish();
        File.WriteAllBytes(prefix + ".meta", meta.ToByteArray());
        new CheckpointState("model.ckpt-1", ["model.ckpt-1"]).Write(directory);
        return prefix;
    }

    private List<(string Name, DType DType)> SortedSaved() => _saved.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    private void SaveNodes(List<(string Name, DType DType)> sorted)
    {
        Const("save/Const", NDArray.FromString("model"));
        Const("save/SaveV2/tensor_names", SaveV2Op.Strings(sorted.Select(s => s.Name).ToList()));
        Const("save/SaveV2/shape_and_slices", SaveV2Op.Strings(sorted.Select(_ => "").ToList()));
        Node("save/SaveV2", "SaveV2", ["save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", .. sorted.Select(s => s.Name)],
            ("dtypes", Attr.TypeList(sorted.Select(s => s.DType))));
        Node("save/control_dependency", "Identity", ["save/Const", "^save/SaveV2"], ("T", Attr.Type(DType.String)), ColocatedWith("save/Const"));
    }

    private string Assign(string name, string variable, string value)
    {
        Node(name, "Assign", [variable, value], T, ColocatedWith(variable),
            ("use_locking", Attr.Bool(true)), ("validate_shape", Attr.Bool(true)));
        return name;
    }

    private SaverDef RestoreAll(List<string> assigns)
    {
        Node("save/restore_all", "NoOp", assigns.Select(a => "^" + a).ToArray());
        return new SaverDef
        {
            FilenameTensorName = "save/Const:0",
            SaveTensorName = "save/control_dependency:0",
            RestoreOpName = "save/restore_all",
            MaxToKeep = 5,
            KeepCheckpointEveryNHours = 10000f,
            Version = SaverDef.Types.CheckpointFormatVersion.V2,
        };
    }

    private static AttrValue ShapesAttr(int count)
    {
        var list = new AttrValue.Types.ListValue();
        list.Shape.Add(new Shape(count).ToProto());
        return new AttrValue { List = list };
    }
}
