namespace TfMnist.Data;

/// <summary>Pixels of an IDX image file: <see cref="Count"/> images of Rows x Columns bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Columns;

    /// <summary>Image <paramref name="index"/> as floats in [0, 1] (byte / 255).</summary>
    public float[] GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return IdxReader.ToFloats(Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage));
    }
}

/// <summary>
/// Reads the IDX files MNIST is distributed in (big-endian header, then raw unsigned bytes), either
/// gzipped or not; gzip is recognised by its magic bytes 1f 8b, not by the file name. The one
/// reader of the Trainer and the Predictor. Every way the input can be wrong ends in a
/// <see cref="MnistDataException"/> naming the source, never in a partial read; memory follows
/// the bytes really present, never a header's claim alone, and the image count is capped
/// (<see cref="DefaultMaxImages"/>, raised by <c>--max-images</c>).
/// </summary>
public static class IdxReader
{
    /// <summary>0x00000803: unsigned-byte data, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>0x00000801: unsigned-byte data, 1 dimension (count).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>The model is built for 28x28 inputs, so any other image size is rejected.</summary>
    public const int ImageSide = 28;

    public const int NumClasses = 10;

    /// <summary>
    /// Most images (and labels) a file may claim unless the caller raises it: MNIST has 60,000;
    /// 100,000 images are 78 MB of pixels.
    /// </summary>
    public const int DefaultMaxImages = 100_000;

    public static IdxImages ReadImages(string path, int maxImages = DefaultMaxImages)
    {
        using var file = IdxPayload.OpenFile(path);
        return ReadImages(file, path, maxImages);
    }

    public static byte[] ReadLabels(string path, int maxLabels = DefaultMaxImages)
    {
        using var file = IdxPayload.OpenFile(path);
        return ReadLabels(file, path, maxLabels);
    }

    /// <param name="source">The stream, gzipped or raw; it is not disposed.</param>
    /// <param name="sourceName">Used in error messages and to insist that "*.gz" really is gzip.</param>
    /// <param name="maxImages">The cap on the header's image count.</param>
    /// <param name="expectedCount">When given, the header's count must equal it (the labels read first), checked before any pixel is read.</param>
    /// <param name="labelsName">Names the label file in that message.</param>
    public static IdxImages ReadImages(Stream source, string sourceName, int maxImages = DefaultMaxImages, int? expectedCount = null, string labelsName = "its label file")
    {
        using var images = IdxImageStream.Open(source, sourceName, maxImages, leaveOpen: true);
        if (expectedCount is { } expected && expected != images.Count)
            throw new MnistDataException(
                $"{sourceName} holds {images.Count} images but {labelsName} holds {expected} labels; they must come from the same set.");
        return IdxPayload.Guard(sourceName, images.ReadAll);
    }

    /// <summary>The labels of an IDX label file (magic 2049), at most <paramref name="maxLabels"/> of them; errors name <paramref name="sourceName"/>.</summary>
    public static byte[] ReadLabels(Stream source, string sourceName, int maxLabels = DefaultMaxImages)
    {
        return IdxPayload.Guard(sourceName, () =>
        {
            using var payload = IdxPayload.Open(source, sourceName);
            Span<byte> header = stackalloc byte[8];
            int count = payload.ReadHeader(header, LabelsMagic, "label", maxLabels);
            payload.CheckBodyFits(count, header.Length, $"{count} labels");
            byte[] labels = payload.ReadBody(count, $"{count} labels");

            // A label outside 0-9 would silently light the wrong one-hot column (TF writes past the
            // row), so it is refused here, where the file can still be named.
            int bad = labels.AsSpan().IndexOfAnyInRange((byte)NumClasses, byte.MaxValue);
            if (bad >= 0)
                throw new MnistDataException(
                    $"{sourceName}: label {labels[bad]} at index {bad} is not a digit 0-9.");
            return labels;
        });
    }

    /// <summary>Opens an image file for reading in batches (evaluation of a large file, one image by index).</summary>
    public static IdxImageStream OpenImages(string path, int maxImages = DefaultMaxImages)
    {
        var file = IdxPayload.OpenFile(path);
        try
        {
            return IdxImageStream.Open(file, path, maxImages, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Pixel bytes as floats in [0, 1] (byte / 255), the network's input.</summary>
    public static float[] ToFloats(ReadOnlySpan<byte> pixels)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
            result[i] = pixels[i] / 255f;
        return result;
    }
}
