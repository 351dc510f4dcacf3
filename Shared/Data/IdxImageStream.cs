using System.Buffers.Binary;

namespace TfMnist.Data;

/// <summary>
/// An IDX image file whose header has been read and checked (magic, 28x28, the count against the
/// cap and against the bytes that can follow): its pixels can be read all at once, in batches, or
/// skipped, so a large file is evaluated without holding it.
/// </summary>
public sealed class IdxImageStream : IDisposable
{
    private const int HeaderBytes = 16;

    private readonly IdxPayload _payload;
    private readonly Stream? _ownedSource;
    private int _position;

    private IdxImageStream(IdxPayload payload, Stream? ownedSource, int count)
    {
        _payload = payload;
        _ownedSource = ownedSource;
        Count = count;
    }

    public int Count { get; }
    public int Rows => IdxReader.ImageSide;
    public int Columns => IdxReader.ImageSide;
    public int PixelsPerImage => Rows * Columns;
    public string SourceName => _payload.SourceName;

    /// <summary>Images read or skipped so far.</summary>
    public int Position => _position;

    internal static IdxImageStream Open(Stream source, string sourceName, int maxImages, bool leaveOpen)
    {
        var payload = IdxPayload.Guard(sourceName, () => IdxPayload.Open(source, sourceName));
        try
        {
            return IdxPayload.Guard(sourceName, () =>
            {
                Span<byte> header = stackalloc byte[HeaderBytes];
                int count = payload.ReadHeader(header, IdxReader.ImagesMagic, "image", maxImages);
                int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
                int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
                if (rows != IdxReader.ImageSide || columns != IdxReader.ImageSide)
                    throw new MnistDataException(
                        $"{sourceName}: images are {rows}x{columns} pixels, but MNIST images must be {IdxReader.ImageSide}x{IdxReader.ImageSide}.");
                payload.CheckBodyFits((long)count * rows * columns, HeaderBytes, Describe(count));
                return new IdxImageStream(payload, leaveOpen ? null : source, count);
            });
        }
        catch
        {
            payload.Dispose();
            throw;
        }
    }

    /// <summary>All remaining pixels (the whole body when nothing was read yet) as an <see cref="IdxImages"/>.</summary>
    public IdxImages ReadAll()
    {
        int remaining = Count - _position;
        byte[] pixels = _payload.ReadBody((long)remaining * PixelsPerImage, Describe(Count));
        _position = Count;
        return new IdxImages(remaining, Rows, Columns, pixels);
    }

    /// <summary>The next <paramref name="count"/> images' pixels into <paramref name="destination"/>.</summary>
    public void Read(Span<byte> destination, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - _position);
        var target = destination[..(count * PixelsPerImage)];
        int got;
        try
        {
            got = _payload.Stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new MnistDataException($"{SourceName}: corrupt gzip data: {e.Message}", e);
        }
        if (got < target.Length)
            throw new MnistDataException(
                $"{SourceName}: truncated: the header promises {Describe(Count)} but the data ends in image {_position + got / PixelsPerImage}.");
        _position += count;
    }

    /// <summary>Reads past <paramref name="count"/> images (a gzip stream cannot seek).</summary>
    public void Skip(int count)
    {
        var scratch = new byte[Math.Min(count, 256) * PixelsPerImage];
        while (count > 0)
        {
            int n = Math.Min(count, scratch.Length / PixelsPerImage);
            Read(scratch, n);
            count -= n;
        }
    }

    private static string Describe(int count) => $"{count} images of {IdxReader.ImageSide}x{IdxReader.ImageSide} pixels";

    public void Dispose()
    {
        _payload.Dispose();
        _ownedSource?.Dispose();
    }
}
