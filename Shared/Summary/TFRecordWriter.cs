using System.Buffers.Binary;
using TfMnist.IO;

namespace TfMnist.Summary;

/// <summary>
/// Writes TFRecord framing: uint64 LE length, masked CRC-32C of those 8 bytes, the data, masked
/// CRC-32C of the data. This is the container of TensorFlow event files.
/// </summary>
public sealed class TFRecordWriter : IDisposable
{
    /// <summary>Bytes of framing around each record: 8 length + 4 length-CRC + 4 data-CRC.</summary>
    public const int FramingBytes = 16;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _disposed;

    public TFRecordWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("Stream is not writable.", nameof(stream));
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    public void Write(ReadOnlySpan<byte> record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Header and footer are assembled on the stack so a record costs three stream writes
        // and no allocation.
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)record.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.ComputeMasked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.ComputeMasked(record));
        _stream.Write(header);
        _stream.Write(record);
        _stream.Write(footer);
    }

    /// <summary>Pushes buffered bytes to the OS (and to the device too when asked).</summary>
    public void Flush(bool flushToDisk = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (flushToDisk && _stream is FileStream fs) fs.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
    }
}
