using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// Every op type the engine knows, listed explicitly by group (no reflection scan): a missing
/// op is a compile-time edit in one place, and tests can walk the whole table.
/// </summary>
public static class OpRegistry
{
    private static readonly FrozenDictionary<string, OpDefinition> ByType = Build();

    public static IEnumerable<OpDefinition> All => ByType.Values;

    public static OpDefinition? Lookup(string type) => ByType.GetValueOrDefault(type);

    /// <summary>Hands the table to the graph layer when the assembly loads: the graph looks op types up in
    /// <see cref="OpCatalog"/> without depending on the op definitions above it.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255",
        Justification = "The table must be in place before any graph is built, and the graph layer cannot name this type.")]
    internal static void Install() => OpCatalog.Install(Lookup);

    private static FrozenDictionary<string, OpDefinition> Build()
    {
        var all = new Dictionary<string, OpDefinition>(StringComparer.Ordinal);
        foreach (var group in new[] { ArrayOps.All, MathOps.All, NnOps.All, StateOps.All, RandomOps.All, SummaryOps.All, IoOps.All })
            foreach (var op in group)
                if (!all.TryAdd(op.Type, op))
                    throw new InvalidOperationException($"Op type '{op.Type}' is registered twice.");
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
