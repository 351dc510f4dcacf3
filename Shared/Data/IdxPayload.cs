using System.Buffers.Binary;
using System.IO.Compression;

namespace TfMnist.Data;

/// <summary>
/// The IDX bytes behind a file or stream: gzip is recognised by its magic bytes 1f 8b, not by the
/// name. Knows an upper bound on how many bytes can follow (the raw length, or the compressed
/// length times deflate's largest ratio), so a header claiming more is caught before any read.
/// </summary>
internal sealed class IdxPayload : IDisposable
{
    // Deflate cannot expand data by more than about 1032:1, so a gzip file claiming more than this
    // is truncated or lying.
    private const long MaxDeflateRatio = 1032;

    private readonly Stream? _owned;

    private IdxPayload(Stream stream, Stream? owned, long maxBytes, string sourceName)
    {
        Stream = stream;
        _owned = owned;
        MaxBytes = maxBytes;
        SourceName = sourceName;
    }

    public Stream Stream { get; }
    public long MaxBytes { get; }
    public string SourceName { get; }

    public static FileStream OpenFile(string path)
    {
        if (Directory.Exists(path))
            throw new MnistDataException($"{path}: is a directory, not an IDX file.");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MnistDataException($"{path}: cannot be opened: {e.Message}", e);
        }
    }

    /// <param name="source">Gzipped or raw; not disposed. An unseekable one is copied to memory first.</param>
    public static IdxPayload Open(Stream source, string sourceName)
    {
        if (!source.CanSeek)
        {
            // Peeking at the magic needs a rewind; archive entries are copied first.
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

        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
            return new IdxPayload(gzip, gzip, length * MaxDeflateRatio + 1024, sourceName);
        }
        if (sourceName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            string first = got == 0 ? "it is empty" : $"it starts with {Convert.ToHexString(magic[..got])}";
            throw new MnistDataException(
                $"{sourceName}: is named .gz but is not gzip data (gzip starts with 1F8B; {first}). " +
                "The download may have been replaced by an HTML error page; delete the file and retry.");
        }
        return new IdxPayload(source, null, length, sourceName);
    }

    /// <summary>Reads the header and checks its magic; returns the item count (checked against the cap).</summary>
    public int ReadHeader(Span<byte> header, int expectedMagic, string kind, int maxCount)
    {
        int got = Stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new MnistDataException(
                $"{SourceName}: truncated: the IDX header needs {header.Length} bytes but the file holds only {got}.");
        CheckMagic(BinaryPrimitives.ReadInt32BigEndian(header), expectedMagic, kind);
        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (count < 0)
            throw new MnistDataException($"{SourceName}: the header gives a negative item count ({count}).");
        if (count > maxCount)
            throw new MnistDataException(
                $"{SourceName}: the header claims {count} {kind}s, more than the cap of {maxCount} " +
                $"(MNIST has 60000; --max-images N raises the cap).");
        return count;
    }

    /// <summary>Refuses, before reading, a body larger than the bytes that can possibly follow the header.</summary>
    public void CheckBodyFits(long bodyBytes, int headerBytes, string what)
    {
        long available = MaxBytes - headerBytes;
        if (bodyBytes > available)
            throw new MnistDataException(
                $"{SourceName}: truncated: the header promises {what} ({bodyBytes} bytes) but at most {available} bytes follow it.");
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes into a buffer that grows as data arrives
    /// (doubling from 1 MiB), so a header that lies costs only the bytes really there.
    /// </summary>
    public byte[] ReadBody(long expected, string what)
    {
        if (expected > Array.MaxLength)
            throw new MnistDataException($"{SourceName}: the header promises {what} ({expected} bytes), more than one array can hold.");
        int size = (int)expected;
        var body = GC.AllocateUninitializedArray<byte>(Math.Min(size, 1 << 20));
        int got = 0;
        while (got < size)
        {
            if (got == body.Length)
                Array.Resize(ref body, (int)Math.Min(size, 2L * body.Length));
            int n = Stream.Read(body, got, body.Length - got);
            if (n == 0)
                throw new MnistDataException(
                    $"{SourceName}: truncated: the header promises {what} ({expected} bytes) but only {got} bytes follow it.");
            got += n;
        }
        return body;
    }

    private void CheckMagic(int magic, int expected, string kind)
    {
        if (magic == expected) return;
        string hint = magic switch
        {
            IdxReader.ImagesMagic => " (that is the magic of an image file)",
            IdxReader.LabelsMagic => " (that is the magic of a label file)",
            _ => "",
        };
        throw new MnistDataException(
            $"{SourceName}: wrong magic number {magic} (0x{magic:X8}){hint}; an IDX {kind} file starts with {expected} (0x{expected:X8}).");
    }

    /// <summary>GZipStream reports damaged deflate data as InvalidDataException; give it a file name.</summary>
    public static T Guard<T>(string sourceName, Func<T> read)
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

    public void Dispose() => _owned?.Dispose();
}
