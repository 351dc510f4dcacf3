using System.Buffers.Binary;
using System.IO.Compression;

namespace TfMnist.Data;

/// <summary>Pixels of an IDX image file: <see cref="Count"/> images of Rows x Columns bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels);

/// <summary>
/// Reads the IDX files MNIST is distributed in (big-endian header, then raw unsigned bytes), either
/// gzipped or not; gzip is recognised by its magic bytes 1f 8b, not by the file name. Every way the
/// input can be wrong ends in a <see cref="MnistDataException"/> naming the source, never in a
/// partial read.
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

    // Deflate cannot expand data by more than about 1032:1, so a gzip file claiming more than this
    // is truncated or lying; checking first avoids allocating gigabytes for a corrupt header.
    private const long MaxDeflateRatio = 1032;

    public static IdxImages ReadImages(string path)
    {
        using var file = OpenFile(path);
        return ReadImages(file, path);
    }

    public static byte[] ReadLabels(string path)
    {
        using var file = OpenFile(path);
        return ReadLabels(file, path);
    }

    /// <param name="source">The stream, gzipped or raw; it is not disposed.</param>
    /// <param name="sourceName">Used in error messages and to insist that "*.gz" really is gzip.</param>
    public static IdxImages ReadImages(Stream source, string sourceName)
    {
        return WithDecompressionErrorsReported(sourceName, () =>
        {
            var payload = OpenPayload(source, sourceName, out long maxPayloadBytes);
            using var owned = ReferenceEquals(payload, source) ? null : payload;
            Span<byte> header = stackalloc byte[16];
            ReadHeader(payload, header, sourceName);
            CheckMagic(BinaryPrimitives.ReadInt32BigEndian(header), ImagesMagic, "image", sourceName);
            int count = ReadCount(header[4..], sourceName);
            int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
            int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
            if (rows != ImageSide || columns != ImageSide)
                throw new MnistDataException(
                    $"{sourceName}: images are {rows}x{columns} pixels, but MNIST images must be {ImageSide}x{ImageSide}.");

            long pixelBytes = (long)count * rows * columns;
            string what = $"{count} images of {rows}x{columns} pixels";
            byte[] pixels = ReadBody(payload, pixelBytes, maxPayloadBytes - header.Length, what, sourceName);
            return new IdxImages(count, rows, columns, pixels);
        });
    }

    /// <inheritdoc cref="ReadImages(Stream, string)"/>
    public static byte[] ReadLabels(Stream source, string sourceName)
    {
        return WithDecompressionErrorsReported(sourceName, () =>
        {
            var payload = OpenPayload(source, sourceName, out long maxPayloadBytes);
            using var owned = ReferenceEquals(payload, source) ? null : payload;
            Span<byte> header = stackalloc byte[8];
            ReadHeader(payload, header, sourceName);
            CheckMagic(BinaryPrimitives.ReadInt32BigEndian(header), LabelsMagic, "label", sourceName);
            int count = ReadCount(header[4..], sourceName);
            byte[] labels = ReadBody(payload, count, maxPayloadBytes - header.Length, $"{count} labels", sourceName);

            // A label outside 0-9 would silently light the wrong one-hot column (TF writes past the
            // row), so it is refused here, where the file can still be named.
            int bad = labels.AsSpan().IndexOfAnyInRange((byte)NumClasses, byte.MaxValue);
            if (bad >= 0)
                throw new MnistDataException(
                    $"{sourceName}: label {labels[bad]} at index {bad} is not a digit 0-9.");
            return labels;
        });
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MnistDataException($"{path}: cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>
    /// Returns the IDX bytes of <paramref name="source"/>: a GZipStream over it when it starts with
    /// the gzip magic, otherwise the stream itself (or an in-memory copy of an unseekable one). Also gives an upper bound on how many
    /// payload bytes can exist, so absurd header counts are caught before allocating.
    /// </summary>
    private static Stream OpenPayload(Stream source, string sourceName, out long maxPayloadBytes)
    {
        if (!source.CanSeek)
        {
            // Peeking at the magic needs a rewind; archive and network streams are copied first.
            var copy = new MemoryStream();
            source.CopyTo(copy);
            copy.Position = 0;
            source = copy;
        }

        long start = source.Position;
        long length = source.Length - start;
        Span<byte> magic = stackalloc byte[2];
        int got = source.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        source.Position = start;

        bool isGzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (isGzip)
        {
            maxPayloadBytes = length * MaxDeflateRatio + 1024;
            return new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        }

        if (sourceName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            string first = got == 0 ? "it is empty" : $"it starts with {Convert.ToHexString(magic[..got])}";
            throw new MnistDataException(
                $"{sourceName}: is named .gz but is not gzip data (gzip starts with 1F8B; {first}). " +
                "The download may have been replaced by an HTML error page; delete the file and retry.");
        }

        maxPayloadBytes = length;
        return source;
    }

    private static void ReadHeader(Stream payload, Span<byte> header, string sourceName)
    {
        int got = payload.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new MnistDataException(
                $"{sourceName}: truncated: the IDX header needs {header.Length} bytes but the file holds only {got}.");
    }

    private static void CheckMagic(int magic, int expected, string kind, string sourceName)
    {
        if (magic == expected) return;
        string hint = magic switch
        {
            ImagesMagic => " (that is the magic of an image file)",
            LabelsMagic => " (that is the magic of a label file)",
            _ => "",
        };
        throw new MnistDataException(
            $"{sourceName}: wrong magic number {magic} (0x{magic:X8}){hint}; an IDX {kind} file starts with {expected} (0x{expected:X8}).");
    }

    private static int ReadCount(ReadOnlySpan<byte> bytes, string sourceName)
    {
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (count < 0)
            throw new MnistDataException($"{sourceName}: the header gives a negative item count ({count}).");
        return count;
    }

    private static byte[] ReadBody(Stream payload, long expected, long maxAvailable, string what, string sourceName)
    {
        if (expected > Array.MaxLength)
            throw new MnistDataException($"{sourceName}: the header promises {what} ({expected} bytes), more than one array can hold.");
        if (expected > maxAvailable)
            throw new MnistDataException(
                $"{sourceName}: truncated: the header promises {what} ({expected} bytes) but at most {maxAvailable} bytes follow it.");

        var body = GC.AllocateUninitializedArray<byte>((int)expected);
        int got = payload.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (got < body.Length)
            throw new MnistDataException(
                $"{sourceName}: truncated: the header promises {what} ({expected} bytes) but only {got} bytes follow it.");
        return body;
    }

    /// <summary>GZipStream reports damaged deflate data as InvalidDataException; give it a file name.</summary>
    private static T WithDecompressionErrorsReported<T>(string sourceName, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new MnistDataException($"{sourceName}: corrupt gzip data: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new MnistDataException($"{sourceName}: read failed: {e.Message}", e);
        }
    }
}
