using Google.Protobuf;
using TfMnist.Summary;

namespace TfMnist.Tests.Inspect;

/// <summary>The TFRecord reader says how many bytes of a cut-off last record it skipped, so inspect can report it.</summary>
public class TruncatedTailTests
{
    private static byte[] Frame(params byte[][] records)
    {
        var ms = new MemoryStream();
        using (var writer = new TFRecordWriter(ms, leaveOpen: true))
            foreach (byte[] r in records) writer.Write(r);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(0)]   // ends between records
    [InlineData(5)]   // inside the next header
    [InlineData(12)]  // a whole header, no data
    [InlineData(20)]  // header and part of the data
    public void TruncatedTailBytes_IsWhatFollowsTheLastWholeRecord(int tail)
    {
        byte[] whole = Frame([1, 2, 3], new byte[40]);
        int first = 16 + 3;
        byte[] cut = whole[..(first + tail)];
        using var reader = new TFRecordReader(new MemoryStream(cut), "mem");

        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(tail, reader.TruncatedTailBytes);
    }

    [Fact]
    public void EventFileReader_ReportsTheTail_AtTheEnd()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tfmnist-tail-{Guid.NewGuid():N}");
        try
        {
            byte[] whole = Frame(new Proto.Event { FileVersion = "brain.Event:2" }.ToByteArray(), new Proto.Event { Step = 7 }.ToByteArray());
            File.WriteAllBytes(path, whole[..^3]);
            long tail = -1;
            var events = EventFileReader.Read(path, t => tail = t).ToList();
            Assert.Single(events);
            int secondRecord = TFRecordWriter.FramingBytes + new Proto.Event { Step = 7 }.CalculateSize();
            Assert.Equal(secondRecord - 3, tail);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
