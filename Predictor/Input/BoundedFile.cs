namespace TfMnist.Predictor.Input;

/// <summary>
/// Reads an input file with a size cap (so <c>/dev/zero</c> or a stray huge file is an error, not
/// an out-of-memory abort) and says plainly why a path cannot be read.
/// </summary>
public static class BoundedFile
{
    /// <summary>Largest image file accepted (a 8192x8192 PNG of a digit is far smaller).</summary>
    public const int MaxImageBytes = 64 * 1024 * 1024;

    /// <summary>Largest text grid accepted (28 rows of 28 cells with spaces are under 2 KB).</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>At most <paramref name="maxBytes"/> bytes of <paramref name="path"/>, or an <see cref="InputFileException"/>.</summary>
    public static byte[] ReadAll(string path, int maxBytes, string what)
    {
        using var file = Open(path);
        var buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        int total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > maxBytes)
                        throw new InputFileException(path, $"is larger than {maxBytes} bytes, the most accepted for {what}");
                    Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1L, 2L * buffer.Length));
                }
                int n = file.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
        }
        catch (IOException e)
        {
            throw new InputFileException(path, $"read failed: {e.Message}", e);
        }
        if (total > maxBytes)
            throw new InputFileException(path, $"is larger than {maxBytes} bytes, the most accepted for {what}");
        return buffer[..total];
    }

    /// <summary>Opens for reading; a directory, a missing file or a permission problem is named as such.</summary>
    public static FileStream Open(string path)
    {
        if (Directory.Exists(path))
            throw new InputFileException(path, "is a directory, not a file");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(path, Describe(e), e);
        }
    }

    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "file not found",
        DirectoryNotFoundException => "directory not found",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    /// <summary>Control characters (a decoder's message can carry NULs) shown as \uXXXX, so a message stays one printable line.</summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '\0') continue;
            if (char.IsControl(c)) sb.Append($"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
