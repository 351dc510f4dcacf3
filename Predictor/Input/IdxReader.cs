using System.Buffers.Binary;
using System.IO.Compression;

namespace TfMnist.Predictor.Input;

/// <summary>The images of an IDX file: count x rows x cols unsigned bytes.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Data)
{
    public int PixelsPerImage => Rows * Columns;

    /// <summary>Image <paramref name="index"/> as floats in [0, 1] (byte / 255).</summary>
    public float[] GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var result = new float[PixelsPerImage];
        var span = Data.AsSpan(index * PixelsPerImage, PixelsPerImage);
        for (int i = 0; i < span.Length; i++)
            result[i] = span[i] / 255f;
        return result;
    }
}

/// <summary>
/// Reads MNIST's IDX files (images: magic 2051, labels: magic 2049), gzip-compressed or raw
/// (detected from the content, not the name). Errors name the file and the problem.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803; // 2051
    public const int LabelsMagic = 0x00000801; // 2049

    public static IdxImages ReadImages(string path)
    {
        byte[] bytes = ReadAll(path);
        if (bytes.Length < 16)
            throw new InputFileException(path, $"too short for an IDX images header ({bytes.Length} bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != ImagesMagic)
            throw new InputFileException(path, $"not an IDX images file (magic {magic}, expected {ImagesMagic})");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || rows <= 0 || cols <= 0)
            throw new InputFileException(path, $"bad IDX dimensions {count}x{rows}x{cols}");
        long expected = 16L + (long)count * rows * cols;
        if (bytes.Length < expected)
            throw new InputFileException(path, $"truncated: header says {count} images of {rows}x{cols} ({expected} bytes), file has {bytes.Length}");
        return new IdxImages(count, rows, cols, bytes.AsSpan(16, (int)(expected - 16)).ToArray());
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadAll(path);
        if (bytes.Length < 8)
            throw new InputFileException(path, $"too short for an IDX labels header ({bytes.Length} bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != LabelsMagic)
            throw new InputFileException(path, $"not an IDX labels file (magic {magic}, expected {LabelsMagic})");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0 || bytes.Length < 8L + count)
            throw new InputFileException(path, $"truncated: header says {count} labels, file has {Math.Max(0, bytes.Length - 8)}");
        byte[] labels = bytes.AsSpan(8, count).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9)
                throw new InputFileException(path, $"label {i} is {labels[i]}, expected 0..9");
        }
        return labels;
    }

    /// <summary>Whole file, gunzipped when it starts with the gzip magic (1F 8B).</summary>
    public static byte[] ReadAll(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            using var output = new MemoryStream();
            if (b0 == 0x1F && b1 == 0x8B)
            {
                using var gz = new GZipStream(file, CompressionMode.Decompress);
                gz.CopyTo(output);
            }
            else
            {
                file.CopyTo(output);
            }
            return output.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string problem = e is InvalidDataException ? $"corrupt gzip data ({e.Message})" : DigitImageLoader.Describe(e);
            throw new InputFileException(path, problem, e);
        }
    }
}

/// <summary>One MNIST image out of an IDX images file (gz or raw), by index.</summary>
public static class IdxImageLoader
{
    /// <exception cref="InputFileException">Unreadable file, not IDX images, not 28x28, or index out of range.</exception>
    public static float[] Load(string path, int index)
    {
        var images = IdxReader.ReadImages(path);
        if (images.Rows != 28 || images.Columns != 28)
            throw new InputFileException(path, $"images are {images.Rows}x{images.Columns}, expected 28x28");
        if (index < 0 || index >= images.Count)
            throw new InputFileException(path, $"image index {index} is out of range (the file has {images.Count} images, 0..{images.Count - 1})");
        return images.GetImage(index);
    }
}
