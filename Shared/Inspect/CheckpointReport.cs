namespace TfMnist.Inspect;

/// <summary>What <c>inspect checkpoint</c> reports: the bundle's tensors in index order.</summary>
public sealed record CheckpointReport(string Prefix, IReadOnlyList<TensorSummary> Tensors);

/// <summary>
/// One tensor like <c>inspect_checkpoint --all_tensors</c> shows it, with its statistics (null for a
/// dtype that has no numeric value) and whether its stored masked CRC-32C matches its bytes
/// (<c>ok</c> or <c>mismatch</c>). <see cref="Values"/> is set only for the tensor asked for with
/// <c>--values</c>.
/// </summary>
public sealed record TensorSummary(string Name, string Dtype, IReadOnlyList<long> Shape, long Elements,
    double? Min, double? Max, double? Mean, double? Std, string Crc, IReadOnlyList<double>? Values = null);
