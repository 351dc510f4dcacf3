using System.Text;

namespace TfMnist.Predictor.Inspect;

/// <summary>
/// An aligned text table that stays readable on an 80-column terminal without losing a character:
/// a first cell too wide for its share goes on a line of its own (the row continues below it), and
/// the last column wraps at its separators (<c>", "</c> or spaces).
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    /// <summary>The terminal width the tables are laid out for.</summary>
    public const int Width = 80;

    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];
    private readonly bool[] _rightAligned = new bool[headers.Length];

    /// <summary>Right-aligns the columns at <paramref name="columns"/> (numbers).</summary>
    public TextTable AlignRight(params int[] columns)
    {
        foreach (int c in columns) _rightAligned[c] = true;
        return this;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public int Count => _rows.Count;

    /// <summary>Writes the header and the rows, each line starting with <paramref name="indent"/>.</summary>
    public void WriteTo(TextWriter writer, string indent = "")
    {
        int n = headers.Length;
        var widths = Enumerable.Range(0, n).Select(c => _rows.Select(r => r[c].Length).Append(headers[c].Length).Max()).ToArray();
        int available = Width - indent.Length;
        // The first column gets what the middle columns and the last column's longest word leave;
        // the last column then gets the rest, up to what it needs.
        int middle = widths.Skip(1).Take(Math.Max(0, n - 2)).Sum() + Gap.Length * (n - 1);
        int lastMin = n > 1 ? _rows.SelectMany(r => r[^1].Split(' ')).Select(w => w.Length).Append(headers[^1].Length).Max() : 0;
        widths[0] = Math.Max(headers[0].Length, Math.Min(widths[0], available - middle - lastMin));
        if (n > 1) widths[^1] = Math.Max(lastMin, Math.Min(widths[^1], available - middle - widths[0]));
        WriteRow(writer, indent, headers, widths);
        foreach (var row in _rows) WriteRow(writer, indent, row, widths);
    }

    private void WriteRow(TextWriter writer, string indent, string[] cells, int[] widths)
    {
        var first = new StringBuilder(indent);
        if (cells[0].Length > widths[0] && cells.Length > 1)
        {
            writer.WriteLine((indent + cells[0]).TrimEnd());
            cells = ["", .. cells[1..]];
        }
        var lastLines = cells.Length > 1 ? Wrap(cells[^1], widths[^1]) : [];
        for (int c = 0; c < cells.Length - (cells.Length > 1 ? 1 : 0); c++)
        {
            first.Append(_rightAligned[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            first.Append(Gap);
        }
        if (cells.Length == 1) { writer.WriteLine(first.ToString().TrimEnd()); return; }
        int lastColumn = cells.Length - 1;
        string lead = _rightAligned[lastColumn] && lastLines.Count == 1 ? lastLines[0].PadLeft(widths[^1]) : lastLines[0];
        writer.WriteLine((first + lead).TrimEnd());
        string pad = new(' ', first.Length);
        foreach (string line in lastLines.Skip(1)) writer.WriteLine(pad + line);
    }

    /// <summary>Splits <paramref name="text"/> into lines of at most <paramref name="width"/> at ", " or " " (a longer word stays whole).</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
