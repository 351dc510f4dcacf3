namespace TfMnist.Inspect;

/// <summary>What a path given to the inspector holds.</summary>
public enum InspectKind
{
    /// <summary>A TensorBundle V2 checkpoint: a directory with a <c>checkpoint</c> file, a prefix, or its <c>.index</c>.</summary>
    Checkpoint,

    /// <summary>An event file, or a directory with event files in it or below it (one run per directory).</summary>
    Events,

    /// <summary>A binary MetaGraphDef (<c>.meta</c>) or GraphDef (<c>.pb</c>).</summary>
    Graph,
}
