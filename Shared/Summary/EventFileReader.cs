using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>Reads the events of an event file, verifying every record's CRCs.</summary>
public static class EventFileReader
{
    /// <summary>
    /// Lazily yields events in file order. A truncated last record (a writer killed or still
    /// writing) ends the sequence; a CRC mismatch throws <see cref="TFRecordCorruptException"/>.
    /// </summary>
    public static IEnumerable<Event> Read(string path) => Read(path, null);

    /// <summary>
    /// <see cref="Read(string)"/>, one record in memory at a time; <paramref name="atEnd"/> is called
    /// once the file is read with the bytes of a truncated last record (0 when it ended cleanly).
    /// </summary>
    public static IEnumerable<Event> Read(string path, Action<long>? atEnd) => Read(path, Event.Parser, atEnd);

    /// <summary>
    /// The events' digests (<see cref="EventDigest"/>: step, kind and tags, payloads skipped over),
    /// for scanning a large log: the same records and checks as <see cref="Read(string, Action{long})"/>
    /// without copying images, histograms or run metadata.
    /// </summary>
    public static IEnumerable<EventDigest> ReadDigests(string path, Action<long>? atEnd = null) =>
        Read(path, EventDigest.Parser.WithDiscardUnknownFields(true), atEnd);

    private static IEnumerable<T> Read<T>(string path, MessageParser<T> parser, Action<long>? atEnd) where T : IMessage<T>
    {
        // ReadWrite sharing: the file may be one a writer still appends to.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        using var reader = new TFRecordReader(stream, path, leaveOpen: true);
        while (reader.TryRead(out byte[] record))
            yield return parser.ParseFrom(record);
        atEnd?.Invoke(reader.TruncatedTailBytes);
    }
}
