using Google.Protobuf;
using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>
/// The summary bytes written field by field through a reused CodedOutputStream, byte for byte
/// against the generated messages' ToByteArray() at the edges: empty tag, zero and -0.0
/// moments, no buckets, messages larger than the writer's buffer, and the Event head framed
/// around a serialized Summary (zero, negative and huge steps, empty summary).
/// </summary>
public sealed class CodedSummaryBytesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"coded-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string, double[], int> EdgeCases() => new()
    {
        { "", [0, 0, 0, 0, 0], 0 },
        { "t", [0, 0, 0, 0, 0], 0 },
        { "", [-0.0, -0.0, -0.0, -0.0, -0.0], 1 },
        { "neg-zero", [-0.0, 0, 1, -0.0, 0], 2 },
        { "ünïcode/тег", [-1.5, 2.5, 3, 1, 8.5], 3 },
        { new string('x', 200), [double.Epsilon, double.MaxValue, 1e9, -double.Epsilon, 1e300], 5 },
        { "wide", [-1, 1, 3000, 0.25, 7], 1500 },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void HistogramSummaryBytes_AreTheGeneratedMessagesBytes(string tag, double[] moments, int entries)
    {
        var m = new HistogramEncoding.Moments(moments[0], moments[1], moments[2], moments[3], moments[4]);
        var limits = new double[entries];
        var counts = new double[entries];
        for (int i = 0; i < entries; i++) (limits[i], counts[i]) = (i == 1 ? -0.0 : i * 0.5 - 3, i % 3 == 0 ? 0 : i);
        var expected = new Proto.Summary();
        expected.Value.Add(new Proto.Summary.Types.Value { Tag = tag, Histo = HistogramEncoding.ToProto(m, limits, counts) });
        // One writer across messages: a message must not carry anything of the previous one.
        var writer = new CodedArrayWriter(bufferSize: 16);
        for (int round = 0; round < 3; round++)
            Assert.Equal(expected.ToByteArray(), HistogramEncoding.SummaryBytes(writer, tag, m, limits, counts));
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(-1L, 30)]
    [InlineData(long.MaxValue, 300)]
    [InlineData(long.MinValue, 5000)]
    public void SerializedSummaryEvent_IsTheGeneratedEventsBytes(long step, int summaryValues)
    {
        var summary = new Proto.Summary();
        for (int i = 0; i < summaryValues; i++) summary.Value.Add(new Proto.Summary.Types.Value { Tag = $"v{i}", SimpleValue = i });
        string path;
        using (var writer = new EventFileWriter(_dir))
        {
            path = writer.FilePath;
            writer.AddSummary(summary.ToByteArray(), step);
            writer.AddSummary(summary.ToByteArray(), step);
        }
        byte[][] records = TFRecordReader.ReadFile(path).ToArray();
        Assert.Equal(3, records.Length);
        foreach (byte[] record in records.Skip(1))
        {
            Event e = Event.Parser.ParseFrom(record);
            Assert.Equal(step, e.Step);
            Assert.Equal(summary, e.Summary);
            Assert.Equal(new Event { WallTime = e.WallTime, Step = step, Summary = summary }.ToByteArray(), record);
        }
    }
}
