using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Proto;

namespace TfMnist.Saving;

/// <summary>
/// TF 1.x's tf.train.import_meta_graph: imports the GraphDef with its names, restores the
/// collections (variables from their VariableDefs, summaries, train_op) and returns a Saver built
/// from the SaverDef (null when the file has none).
/// </summary>
public static class MetaGraphImporter
{
    public static Saver? Import(Graph graph, string path) => Import(graph, ReadFile(path), path);

    /// <summary>The binary MetaGraphDef in <paramref name="path"/> (a <c>.meta</c> file), with errors naming it.</summary>
    public static MetaGraphDef ReadFile(string path)
    {
        try
        {
            return MetaGraphDef.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"Meta graph file '{path}' does not exist.", path);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not a MetaGraphDef: {e.Message}", e);
        }
    }

    public static Saver? Import(Graph graph, MetaGraphDef meta, string source)
    {
        if (meta.GraphDef is null) throw new InvalidDataException($"'{source}' holds no graph_def.");
        GraphDefImporter.Import(graph, meta.GraphDef, source);
        // "trainable_variables" sorts before "variables", so a variable listed in both is made trainable first.
        foreach (var (key, collection) in meta.CollectionDef.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            RestoreCollection(graph, key, collection, source);
        if (meta.SaverDef is not null && !string.IsNullOrEmpty(meta.SaverDef.RestoreOpName))
            return Saver.FromSaverDef(graph, meta.SaverDef);
        return null;
    }

    private static void RestoreCollection(Graph graph, string key, CollectionDef collection, string source)
    {
        switch (collection.KindCase)
        {
            case CollectionDef.KindOneofCase.NodeList:
                foreach (string name in collection.NodeList.Value)
                {
                    if (name.Contains(':')) graph.AddToCollection(key, graph.GetTensorByName(name));
                    else graph.AddToCollection(key, graph.GetOperationByName(name));
                }
                break;
            case CollectionDef.KindOneofCase.BytesList when key is GraphKeys.GlobalVariables or GraphKeys.TrainableVariables
                or "local_variables" or "model_variables":
                foreach (var bytes in collection.BytesList.Value)
                {
                    var def = VariableDef.Parser.ParseFrom(bytes);
                    graph.AddToCollection(key, Variable.FromVariableDef(graph, def, source, listedAsTrainable: key == GraphKeys.TrainableVariables));
                }
                break;
                // Other kinds (e.g. cond contexts, int64 lists) are not needed by this engine.
        }
    }
}
