using System.Buffers.Binary;
using TfMnist.IO;

namespace TfMnist.Summary;

/// <summary>
/// Reads TFRecord framing, verifying both CRCs of every record. A record cut short by the end
/// of the stream is the tail of a writer that was killed mid-write (or is still writing): it is
/// treated as end of file, never as corruption of the records before it.
/// </summary>
public sealed class TFRecordReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[12];
    private readonly byte[] _footer = new byte[4];

    /// <param name="source">Name used in error messages, normally the file path.</param>
    public TFRecordReader(Stream stream, string source, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _source = source;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Byte offset of the next record, relative to where reading started.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// Bytes of a truncated last record once <see cref="TryRead"/> has returned false (0 when the
    /// stream ended cleanly between records), so a reader can say that a writer was cut off.
    /// </summary>
    public long TruncatedTailBytes { get; private set; }

    /// <summary>Reads every record of a file, lazily.</summary>
    public static IEnumerable<byte[]> ReadFile(string path)
    {
        // ReadWrite sharing: TensorBoard-style readers open files that a writer still appends to.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        using var reader = new TFRecordReader(stream, path, leaveOpen: true);
        while (reader.TryRead(out byte[] record))
            yield return record;
    }

    /// <summary>
    /// Reads the next record. Returns false at end of stream, including a truncated last record.
    /// Throws <see cref="TFRecordCorruptException"/> when a CRC does not match.
    /// </summary>
    public bool TryRead(out byte[] record)
    {
        record = [];
        long start = Offset;
        int headerRead = ReadFully(_header);
        if (headerRead < _header.Length) return Truncated(headerRead);

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(_header);
        uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8));
        if (Crc32C.ComputeMasked(_header.AsSpan(0, 8)) != lengthCrc)
            throw new TFRecordCorruptException(_source, start, "length CRC mismatch");
        if (length > int.MaxValue)
            throw new TFRecordCorruptException(_source, start, $"record length {length} exceeds 2 GiB");

        // On a seekable stream a tail shorter than the declared record is known before
        // allocating a buffer for it.
        if (_stream.CanSeek && _stream.Length - _stream.Position < (long)length + _footer.Length)
            return Truncated(_header.Length + _stream.Length - _stream.Position);

        var data = new byte[(int)length];
        if (ReadFully(data) < data.Length || ReadFully(_footer) < _footer.Length) return Truncated(Offset - start);
        if (Crc32C.ComputeMasked(data) != BinaryPrimitives.ReadUInt32LittleEndian(_footer))
            throw new TFRecordCorruptException(_source, start, "data CRC mismatch");

        record = data;
        return true;
    }

    private bool Truncated(long bytes)
    {
        TruncatedTailBytes = bytes;
        return false;
    }

    private int ReadFully(Span<byte> buffer)
    {
        int total = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        Offset += total;
        return total;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}
