using TfMnist.IO;
namespace TfMnist.Checkpoint.Table;

/// <summary>
/// Builds one table block: entries whose keys share a prefix with the previous key store only
/// the differing suffix (shared length, suffix length, value length as varints, then suffix and
/// value). Every <c>restartInterval</c> entries a key is stored whole (a restart point) so a
/// reader can binary-search; the block ends with the restart offsets and their count (fixed32).
/// </summary>
internal sealed class BlockBuilder
{
    private readonly int _restartInterval;
    private readonly MemoryStream _buffer = new();
    private readonly List<uint> _restarts = [0];
    private byte[] _lastKey = [];
    private int _sinceRestart;

    public BlockBuilder(int restartInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(restartInterval, 1);
        _restartInterval = restartInterval;
    }

    public bool IsEmpty => _buffer.Length == 0;

    /// <summary>The size Finish() would return now; used to decide when a data block is full.</summary>
    public long EstimatedSize => _buffer.Length + 4L * _restarts.Count + 4;

    /// <summary>Appends an entry; the caller guarantees keys arrive in increasing order.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int shared = 0;
        if (_sinceRestart < _restartInterval)
        {
            shared = key.CommonPrefixLength(_lastKey);
        }
        else
        {
            _restarts.Add(checked((uint)_buffer.Length));
            _sinceRestart = 0;
        }
        Varint.Write(_buffer, (ulong)shared);
        Varint.Write(_buffer, (ulong)(key.Length - shared));
        Varint.Write(_buffer, (ulong)value.Length);
        _buffer.Write(key[shared..]);
        _buffer.Write(value);
        _lastKey = key.ToArray();
        _sinceRestart++;
    }

    /// <summary>Returns the finished block contents and resets the builder for the next block.</summary>
    public byte[] Finish()
    {
        foreach (uint restart in _restarts)
            Varint.WriteFixed32(_buffer, restart);
        Varint.WriteFixed32(_buffer, checked((uint)_restarts.Count));
        byte[] contents = _buffer.ToArray();
        _buffer.SetLength(0);
        _restarts.Clear();
        _restarts.Add(0);
        _lastKey = [];
        _sinceRestart = 0;
        return contents;
    }
}
