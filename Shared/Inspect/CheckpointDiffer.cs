using TfMnist.Checkpoint;

namespace TfMnist.Inspect;

/// <summary>
/// Compares two checkpoints tensor by tensor, one pair in memory at a time: names (with TF's
/// renames), dtypes, shapes, and for equal shapes the largest absolute difference of the values.
/// </summary>
internal static class CheckpointDiffer
{
    public static CheckpointDiff Diff(BundleReader a, BundleReader b)
    {
        var names = NameMatching.Compare(a.Entries.Select(e => e.Name), b.Entries.Select(e => e.Name));
        var pairs = a.Entries.Where(e => b.Contains(e.Name)).Select(e => (A: e, B: b.GetEntry(e.Name)))
            .Concat(names.Renamed.Select(r => (A: a.GetEntry(r.A), B: b.GetEntry(r.B))));
        var changed = new List<TensorChange>();
        foreach (var (ea, eb) in pairs)
        {
            string dtypeA = DtypeNames.Python(ea.DType), dtypeB = DtypeNames.Python(eb.DType);
            bool sameShape = ea.Shape.SequenceEqual(eb.Shape);
            double? gap = sameShape ? MaxAbsDiff(CheckpointInspector.Values(a, ea), CheckpointInspector.Values(b, eb)) : null;
            if (dtypeA != dtypeB || !sameShape || gap is not 0)
                changed.Add(new TensorChange(ea.Name == eb.Name ? ea.Name : $"{ea.Name} -> {eb.Name}", dtypeA, dtypeB, ea.Shape, eb.Shape, gap));
        }
        return new CheckpointDiff(a.Prefix, b.Prefix, names, changed);
    }

    /// <summary>Largest |a - b| over the elements (NaN when either side has NaN there); 0 for two empty tensors.</summary>
    private static double MaxAbsDiff(double[] a, double[] b)
    {
        double max = 0;
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (double.IsNaN(d) && !(double.IsNaN(a[i]) && double.IsNaN(b[i]))) return double.NaN;
            if (d > max) max = d;
        }
        return max;
    }
}
