namespace TfMnist.Predictor.Input;

/// <summary>
/// Reads a 28x28 digit written as text: 28 rows of 28 cells, each cell <c>0</c> or <c>.</c> (background)
/// or <c>1</c> or <c>#</c> (ink). Spaces and tabs between cells are ignored, so <c>0 1 1 0 ...</c> works
/// too; blank lines are skipped. Errors name the file and line.
/// </summary>
public static class TextGridLoader
{
    public const int Size = 28;

    /// <exception cref="InputFileException">Unreadable file or a malformed grid.</exception>
    public static float[] Load(string path)
    {
        byte[] bytes = BoundedFile.ReadAll(path, BoundedFile.MaxTextBytes, "a text grid");
        if (bytes.Length == 0)
            throw new InputFileException(path, "the file is empty (0 bytes)");
        return Parse(System.Text.Encoding.UTF8.GetString(bytes), path);
    }

    /// <summary>Parses grid text; <paramref name="name"/> is used in error messages.</summary>
    public static float[] Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pixels = new float[Size * Size];
        int row = 0;
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
                continue;
            if (row == Size)
                throw new InputFileException(name, $"line {lineNumber}: more than {Size} rows (a grid has {Size} rows of {Size} cells)");
            int column = 0;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c is ' ' or '\t')
                    continue;
                float v = c switch
                {
                    '0' or '.' => 0f,
                    '1' or '#' => 1f,
                    _ => throw new InputFileException(name,
                        $"line {lineNumber}, column {i + 1}: unexpected character '{Printable(c)}' (cells are 0/1 or ./#)"),
                };
                if (column == Size)
                    throw new InputFileException(name, $"line {lineNumber}: more than {Size} cells (a row has {Size})");
                pixels[row * Size + column] = v;
                column++;
            }
            if (column != Size)
                throw new InputFileException(name, $"line {lineNumber}: {column} cells, expected {Size}");
            row++;
        }
        if (row != Size)
            throw new InputFileException(name, $"{row} rows, expected {Size} (line {lineNumber} is the last line)");
        return pixels;
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString();
}
