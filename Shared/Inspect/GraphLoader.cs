using Google.Protobuf;
using TfMnist.Proto;
using TfMnist.Saving;
using TfMnist.Summary;

namespace TfMnist.Inspect;

/// <summary>
/// Finds the GraphDef a path holds: a <c>.meta</c> file (through <see cref="MetaGraphImporter.ReadFile"/>),
/// a binary <c>.pb</c> GraphDef, a checkpoint directory or prefix (its <c>.meta</c>), or an event
/// file or log directory (the first graph_def event, else the first meta_graph_def's graph).
/// </summary>
public static class GraphLoader
{
    /// <summary>The graph <paramref name="path"/> holds and the file it came from.</summary>
    public static (GraphDef Graph, string Source) Load(string path)
    {
        var kind = InspectPaths.Detect(path);
        switch (kind)
        {
            case InspectKind.Graph when path.EndsWith(".meta", StringComparison.Ordinal):
                return (MetaGraphImporter.ReadFile(path).GraphDef
                    ?? throw new InspectInputException($"'{path}' holds no graph_def"), path);
            case InspectKind.Graph:
                return (ParseGraphDef(File.ReadAllBytes(path), path), path);
            case InspectKind.Checkpoint:
                string meta = InspectPaths.CheckpointPrefix(path) + ".meta";
                if (!File.Exists(meta)) throw new InspectInputException($"checkpoint '{path}' has no graph: '{meta}' does not exist");
                return Load(meta);
            default:
                foreach (string file in InspectPaths.EventFiles(path))
                    if (FromEvents(file) is { } graph) return (graph, file);
                throw new InspectInputException($"no event file in '{path}' holds a graph (graph_def or meta_graph_def)");
        }
    }

    /// <summary>The first graph in an event file, streamed as digests: nothing after it is read, no summary copied.</summary>
    public static GraphDef? FromEvents(string file)
    {
        foreach (var e in EventFileReader.ReadDigests(file))
        {
            if (e.WhatCase == EventDigest.WhatOneofCase.GraphDef) return ParseGraphDef(e.GraphDef.ToByteArray(), file);
            if (e.WhatCase == EventDigest.WhatOneofCase.MetaGraphDef && MetaGraphDef.Parser.ParseFrom(e.MetaGraphDef).GraphDef is { } g) return g;
        }
        return null;
    }

    /// <summary>A binary GraphDef; bytes that are not one throw <see cref="InspectInputException"/> naming <paramref name="source"/>.</summary>
    public static GraphDef ParseGraphDef(byte[] bytes, string source)
    {
        try
        {
            return GraphDef.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InspectInputException($"'{source}' is not a binary GraphDef: {e.Message}");
        }
    }
}
