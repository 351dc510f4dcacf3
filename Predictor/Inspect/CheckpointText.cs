using TfMnist.Inspect;

namespace TfMnist.Predictor.Inspect;

/// <summary><c>inspect checkpoint</c> as text: one row per tensor, then the values asked for.</summary>
internal static class CheckpointText
{
    public static void Write(TextWriter o, CheckpointReport report)
    {
        o.WriteLine($"checkpoint with {report.Tensors.Count} tensor(s):");
        o.WriteLine($"  {report.Prefix}");
        var table = new TextTable("tensor", "dtype", "shape", "min", "max", "mean", "std", "crc").AlignRight(3, 4, 5, 6);
        foreach (var t in report.Tensors)
            table.Add(t.Name, t.Dtype, TextFormat.Shape(t.Shape), TextFormat.Number(t.Min), TextFormat.Number(t.Max),
                TextFormat.Number(t.Mean), TextFormat.Number(t.Std), t.Crc);
        table.WriteTo(o);
        foreach (var t in report.Tensors.Where(t => t.Values is not null))
        {
            o.WriteLine();
            o.WriteLine($"{t.Name} {t.Dtype} {TextFormat.Shape(t.Shape)} values:");
            // One line (wrapped at 80 columns) per row of the last dimension, as numpy prints a matrix.
            int row = t.Shape.Count == 0 ? 1 : (int)Math.Max(1, t.Shape[^1]);
            for (int start = 0; start < t.Values!.Count; start += row)
            {
                string line = string.Join(' ', t.Values.Skip(start).Take(row).Select(v => TextFormat.Number(v)));
                foreach (string part in TextTable.Wrap(line, TextTable.Width - 2)) o.WriteLine("  " + part);
            }
        }
    }
}
