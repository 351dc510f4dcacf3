using Google.Protobuf;

namespace TfMnist.Summary;

/// <summary>
/// One reusable <see cref="CodedOutputStream"/> that writes into caller-allocated arrays, so
/// protobuf bytes come from Google.Protobuf's own writer without a stream or writer object per
/// message: the caller sizes the message with the <c>CodedOutputStream.Compute*Size</c>
/// helpers, allocates the result, calls <see cref="Start"/>, writes fields and calls
/// <see cref="Finish"/>. Not thread-safe: keep one per thread or per owning object.
/// </summary>
internal sealed class CodedArrayWriter
{
    private readonly ArrayTarget _target = new();

    public CodedArrayWriter(int bufferSize = 4096) => Output = new CodedOutputStream(_target, bufferSize, leaveOpen: true);

    public CodedOutputStream Output { get; }

    /// <summary>Directs the writer at <paramref name="destination"/>[<paramref name="offset"/>..].</summary>
    public CodedOutputStream Start(byte[] destination, int offset = 0)
    {
        _target.Reset(destination, offset);
        return Output;
    }

    /// <summary>Flushes into the destination and checks that exactly up to <paramref name="end"/> was written.</summary>
    public void Finish(int end)
    {
        Output.Flush();
        int written = _target.Written;
        _target.Reset(null, 0);
        if (written != end) throw new InvalidOperationException($"Protobuf message size miscomputed: wrote to {written}, expected {end}.");
    }

    /// <summary>A write-only stream over a settable array; writing past its end throws.</summary>
    private sealed class ArrayTarget : Stream
    {
        private byte[]? _array;
        private int _position;

        public int Written => _position;

        public void Reset(byte[]? array, int offset)
        {
            _array = array;
            _position = offset;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_array is null) throw new InvalidOperationException("CodedArrayWriter used without Start.");
            buffer.CopyTo(_array.AsSpan(_position));
            _position += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
