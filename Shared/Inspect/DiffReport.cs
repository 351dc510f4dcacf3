namespace TfMnist.Inspect;

/// <summary>
/// What <c>inspect diff A B</c> reports. <see cref="Equal"/> is structural (same runs, tags and
/// kinds; same node names and op types; same tensor names, dtypes and shapes); values may still
/// differ. Exactly one of <see cref="Events"/>, <see cref="Graph"/>, <see cref="Checkpoint"/> is set,
/// as <see cref="Kind"/> says.
/// </summary>
public sealed record DiffReport(string Kind, string A, string B, bool Equal,
    EventLogDiff? Events = null, GraphDiff? Graph = null, CheckpointDiff? Checkpoint = null);

/// <summary>
/// Names only in A, only in B, pairs that are one name renamed by TF's uniquifying rules, and the
/// naming differences that run through the names left unpaired (they also differ in their first
/// part, their layer), e.g. every <c>.../mean_1</c> of A against a <c>.../mean</c> of B.
/// </summary>
public sealed record NameDiff(IReadOnlyList<string> OnlyInA, IReadOnlyList<string> OnlyInB, IReadOnlyList<Rename> Renamed,
    IReadOnlyList<NamingDifference> Naming)
{
    /// <summary>True when both sides hold the same names (a method, so JSON output leaves it out).</summary>
    public bool HasNoDifference() => OnlyInA.Count == 0 && OnlyInB.Count == 0 && Renamed.Count == 0;
}

/// <summary>A name in A and its counterpart in B, and why TensorFlow named them differently.</summary>
public sealed record Rename(string A, string B, string Reason);

/// <summary>
/// A name part spelled <see cref="A"/> in A where B spells it <see cref="B"/>, in <see cref="Count"/>
/// names of A that are otherwise B's (after their first part), one example pair, and why.
/// </summary>
public sealed record NamingDifference(string A, string B, int Count, string ExampleA, string ExampleB, string Reason);

/// <summary>Two event logs: runs paired by name (a lone run on each side pairs whatever its name).</summary>
public sealed record EventLogDiff(IReadOnlyList<string> RunsOnlyInA, IReadOnlyList<string> RunsOnlyInB, IReadOnlyList<RunDiff> Runs);

/// <summary>
/// One pair of runs: their layers (first part of the tag names), tags, kinds that differ for a
/// tag, the scalar curves compared at their common steps, and their graphs when both have one.
/// </summary>
public sealed record RunDiff(string RunA, string RunB, NameDiff Layers, NameDiff Tags, IReadOnlyList<KindChange> KindChanges,
    IReadOnlyList<ScalarComparison> Scalars, GraphDiff? Graph);

/// <summary>A tag (or node) present in both, holding a different kind (or op type).</summary>
public sealed record KindChange(string Name, string A, string B);

/// <summary>
/// A scalar tag of both logs (B's name may be its rename): each curve's steps and last value, then
/// at their common steps how many, the values at the last one, and the largest gap |A - B| with its step.
/// </summary>
public sealed record ScalarComparison(string TagA, string TagB, int StepsA, int StepsB, double LastA, double LastB, int CommonSteps,
    long? FinalStep, double? FinalA, double? FinalB, double? LargestGap, long? LargestGapStep);

/// <summary>Two graphs: layers (first scope), node names, and op types that differ for the same name.</summary>
public sealed record GraphDiff(int NodesA, int NodesB, NameDiff Layers, NameDiff Nodes, IReadOnlyList<KindChange> OpTypeChanges);

/// <summary>Two checkpoints: tensor names, and tensors of both whose dtype, shape or values differ.</summary>
public sealed record CheckpointDiff(string PrefixA, string PrefixB, NameDiff Tensors, IReadOnlyList<TensorChange> Changed);

/// <summary>
/// A tensor in both checkpoints that differs: dtypes and shapes, and for equal shapes the largest
/// absolute difference of its values (null when the shapes differ).
/// </summary>
public sealed record TensorChange(string Name, string DtypeA, string DtypeB, IReadOnlyList<long> ShapeA, IReadOnlyList<long> ShapeB, double? MaxAbsDiff);
