namespace TfMnist.Framework;

/// <summary>
/// Where the graph finds the definition of an op type. The op definitions sit in the layer above the
/// graph, so the table is installed from there (TfMnist.Ops.OpRegistry, when the assembly loads)
/// instead of being referenced from here.
/// </summary>
public static class OpCatalog
{
    private static Func<string, OpDefinition?>? s_lookup;

    /// <summary>Installs the lookup; called once, by the op registry.</summary>
    public static void Install(Func<string, OpDefinition?> lookup) => s_lookup = lookup;

    /// <summary>The definition of <paramref name="type"/>, or null when the engine has no such op.</summary>
    public static OpDefinition? Lookup(string type) =>
        (s_lookup ?? throw new InvalidOperationException("No op registry is installed.")).Invoke(type);
}
