using System.Globalization;

namespace TfMnist.Predictor.Input;

/// <summary>
/// Loads whatever the user passed to <c>predict</c>, deciding by content:
/// PNG/JPEG/BMP → <see cref="DigitImageLoader"/>; IDX images (gz or raw) → <see cref="IdxImageLoader"/>,
/// written <c>FILE@INDEX</c> (index 0 when omitted); anything else is read as a <see cref="TextGridLoader"/> grid.
/// </summary>
public static class InputLoader
{
    public static float[] Load(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string path = spec;
        int? index = null;
        int at = spec.LastIndexOf('@');
        if (at > 0 && !File.Exists(spec))
        {
            string suffix = spec[(at + 1)..];
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                throw new InputFileException(spec, $"'@{suffix}' is not an image index (write FILE@INDEX, e.g. t10k-images-idx3-ubyte.gz@0)");
            path = spec[..at];
            index = i;
        }

        byte[] head = ReadHead(path, 8);
        if (head.Length == 0)
            throw new InputFileException(path, "the file is empty (0 bytes)");
        if (IsGzip(head) || IsIdxImages(head))
            return IdxImageLoader.Load(path, index ?? 0);
        if (index is not null)
            throw new InputFileException(path, "is not an IDX images file, so '@INDEX' does not apply");
        if (IsImage(head))
            return DigitImageLoader.Load(path);
        return TextGridLoader.Load(path);
    }

    private static byte[] ReadHead(string path, int count)
    {
        using var file = BoundedFile.Open(path);
        var buffer = new byte[count];
        try
        {
            int n = file.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
            return buffer[..n];
        }
        catch (IOException e)
        {
            throw new InputFileException(path, $"read failed: {e.Message}", e);
        }
    }

    private static bool IsGzip(byte[] h) => h.Length >= 2 && h[0] == 0x1F && h[1] == 0x8B;
    private static bool IsIdxImages(byte[] h) => h.Length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 8 && h[3] == 3;

    private static bool IsImage(byte[] h) =>
        (h.Length >= 4 && h[0] == 0x89 && h[1] == (byte)'P' && h[2] == (byte)'N' && h[3] == (byte)'G') ||
        (h.Length >= 2 && h[0] == 0xFF && h[1] == 0xD8) ||
        (h.Length >= 2 && h[0] == (byte)'B' && h[1] == (byte)'M');
}
