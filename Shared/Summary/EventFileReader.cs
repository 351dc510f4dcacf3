using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>Reads the events of an event file, verifying every record's CRCs.</summary>
public static class EventFileReader
{
    /// <summary>
    /// Lazily yields events in file order. A truncated last record (a writer killed or still
    /// writing) ends the sequence; a CRC mismatch throws <see cref="TFRecordCorruptException"/>.
    /// </summary>
    public static IEnumerable<Event> Read(string path)
    {
        foreach (byte[] record in TFRecordReader.ReadFile(path))
            yield return Event.Parser.ParseFrom(record);
    }
}
