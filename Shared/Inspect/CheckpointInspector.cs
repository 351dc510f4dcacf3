using TfMnist.Checkpoint;
using TfMnist.IO;

namespace TfMnist.Inspect;

/// <summary>
/// <c>inspect_checkpoint --all_tensors</c> over the engine's <see cref="BundleReader"/>: one tensor
/// in memory at a time, a CRC mismatch reported per tensor instead of ending the listing.
/// </summary>
public static class CheckpointInspector
{
    /// <param name="path">A checkpoint directory (its latest checkpoint), a prefix or a <c>.index</c> file.</param>
    /// <param name="tensor">Only this tensor; an error when the checkpoint has none of that name.</param>
    /// <param name="withValues">Also keep the values (of <paramref name="tensor"/>).</param>
    public static CheckpointReport Inspect(string path, string? tensor = null, bool withValues = false)
    {
        var reader = BundleReader.Open(InspectPaths.CheckpointPrefix(path));
        var entries = reader.Entries.AsEnumerable();
        if (tensor is not null)
        {
            if (!reader.Contains(tensor))
                throw new InspectInputException($"checkpoint {reader.Prefix} has no tensor '{tensor}' (it has {string.Join(", ", reader.Entries.Select(e => e.Name))})");
            entries = [reader.GetEntry(tensor)];
        }
        return new CheckpointReport(reader.Prefix, entries.Select(e => Summarize(reader, e, withValues)).ToList());
    }

    /// <summary>One tensor's values (empty for a dtype without numeric values), for a diff.</summary>
    internal static double[] Values(BundleReader reader, BundleEntry entry) =>
        TensorValues.ToDoubles(entry.DType, reader.ReadRaw(entry.Name, verifyCrc: false));

    private static TensorSummary Summarize(BundleReader reader, BundleEntry entry, bool withValues)
    {
        string dtype = DtypeNames.Python(entry.DType);
        if (!TensorValues.IsNumeric(entry.DType))
            return new TensorSummary(entry.Name, dtype, entry.Shape, entry.NumElements, null, null, null, null, "unchecked");
        byte[] bytes = reader.ReadRaw(entry.Name, verifyCrc: false);
        string crc = Crc32C.ComputeMasked(bytes) == entry.MaskedCrc32C ? "ok" : "mismatch";
        double[] values = TensorValues.ToDoubles(entry.DType, bytes);
        var (min, max, mean, std) = TensorValues.Statistics(values);
        return new TensorSummary(entry.Name, dtype, entry.Shape, entry.NumElements, min, max, mean, std, crc, withValues ? values : null);
    }
}
