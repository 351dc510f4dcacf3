using Google.Protobuf;
using TfMnist.Framework;
using TfMnist.IO;
using TfMnist.Proto;

namespace TfMnist.Saving;

/// <summary>
/// Writes a graph as TF 1.x's MetaGraphDef: the GraphDef, the SaverDef and the collections
/// (variables as VariableDef bytes, tensors and ops as node names).
/// </summary>
public static class MetaGraphExporter
{
    public static MetaGraphDef Export(Graph graph, SaverDef? saverDef)
    {
        var meta = new MetaGraphDef
        {
            // The engine is not TensorFlow: tensorflow_version stays empty on purpose.
            MetaInfoDef = new MetaGraphDef.Types.MetaInfoDef(),
            GraphDef = graph.ToGraphDef(),
            SaverDef = saverDef,
        };
        foreach (string key in graph.CollectionKeys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var items = graph.GetCollection<object>(key);
            var collection = ToCollectionDef(items, key);
            if (collection is not null) meta.CollectionDef[key] = collection;
        }
        return meta;
    }

    public static void Write(Graph graph, SaverDef? saverDef, string path) =>
        AtomicFile.WriteAllBytes(path, Export(graph, saverDef).ToByteArray());

    private static CollectionDef? ToCollectionDef(IReadOnlyList<object> items, string key)
    {
        if (items.Count == 0) return null;
        if (items.All(i => i is IVariableDefSource))
        {
            var bytes = new CollectionDef.Types.BytesList();
            bytes.Value.AddRange(items.Cast<IVariableDefSource>().Select(v => v.ToVariableDef().ToByteString()));
            return new CollectionDef { BytesList = bytes };
        }
        if (items.All(i => i is Tensor or Operation))
        {
            var nodes = new CollectionDef.Types.NodeList();
            nodes.Value.AddRange(items.Select(i => i is Tensor t ? t.Name : ((Operation)i).Name));
            return new CollectionDef { NodeList = nodes };
        }
        // TF likewise skips collections it cannot serialize (with a warning).
        return null;
    }
}
