namespace TfMnist.Summary;

/// <summary>
/// A TFRecord whose checksum does not match its bytes. Names the source and the byte offset of
/// the record's start so a damaged file can be inspected or cut back to its good prefix.
/// </summary>
public sealed class TFRecordCorruptException : IOException
{
    public TFRecordCorruptException(string source, long recordOffset, string what)
        : base($"Corrupt TFRecord in '{source}' at byte offset {recordOffset}: {what}.")
    {
        FilePath = source;
        RecordOffset = recordOffset;
    }

    /// <summary>The file path (or caller-supplied name) the record was read from.</summary>
    public string FilePath { get; }

    public long RecordOffset { get; }
}
