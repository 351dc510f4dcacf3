using System.Text;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public class TFRecordTests
{
    // Framing of "hello", computed with an independent bitwise CRC-32C implementation:
    // length 5 LE, masked crc of the length, the data, masked crc of the data.
    private static readonly byte[] s_helloRecord = Convert.FromHexString("0500000000000000eab2043e68656c6c6fbb1f1c19");

    private static byte[] Frame(params byte[][] records)
    {
        var ms = new MemoryStream();
        using (var writer = new TFRecordWriter(ms, leaveOpen: true))
            foreach (byte[] r in records) writer.Write(r);
        return ms.ToArray();
    }

    private static List<byte[]> ReadAll(byte[] bytes, string name = "mem")
    {
        using var reader = new TFRecordReader(new MemoryStream(bytes), name);
        var result = new List<byte[]>();
        while (reader.TryRead(out byte[] r)) result.Add(r);
        return result;
    }

    [Fact]
    public void Writer_ProducesGoldenBytes()
    {
        Assert.Equal(s_helloRecord, Frame(Encoding.ASCII.GetBytes("hello")));
        Assert.Equal(Convert.FromHexString("000000000000000029039807d8ea82a2"), Frame([[]]));
    }

    [Fact]
    public void Writer_ReproducesFirstRecordOfTensorFlowFile()
    {
        string dir = ReferenceFiles.RequireEventsDir();
        byte[] file = File.ReadAllBytes(ReferenceFiles.EventFiles(dir)[0]);
        int length = (int)BitConverter.ToUInt64(file, 0);
        byte[] tfRecord = file[..(length + 16)];
        Assert.Equal(tfRecord, Frame(file[12..(12 + length)]));
    }

    [Fact]
    public void RoundTrip_PreservesRecordsInOrder()
    {
        var rng = new Random(7);
        byte[][] records = Enumerable.Range(0, 50).Select(i =>
        {
            var b = new byte[rng.Next(0, 3000)];
            rng.NextBytes(b);
            return b;
        }).ToArray();
        List<byte[]> read = ReadAll(Frame(records));
        Assert.Equal(records.Length, read.Count);
        for (int i = 0; i < records.Length; i++) Assert.Equal(records[i], read[i]);
    }

    [Theory]
    [InlineData(0, "length CRC")]   // a length byte of the second record
    [InlineData(8, "length CRC")]   // its length CRC
    [InlineData(12, "data CRC")]    // its data
    [InlineData(17, "data CRC")]    // its data CRC
    public void CorruptByte_IsRejectedWithFileAndRecordOffset(int byteInSecondRecord, string what)
    {
        byte[] bytes = Frame(Encoding.ASCII.GetBytes("first"), Encoding.ASCII.GetBytes("hello"), Encoding.ASCII.GetBytes("third"));
        int secondStart = 16 + 5;
        bytes[secondStart + byteInSecondRecord] ^= 0x40;
        var ex = Assert.Throws<TFRecordCorruptException>(() => ReadAll(bytes, "some/events.file"));
        Assert.Equal(secondStart, ex.RecordOffset);
        Assert.Contains("some/events.file", ex.Message);
        Assert.Contains($"offset {secondStart}", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void TruncatedLastRecord_EndsTheFileAtEveryCutPoint()
    {
        byte[] first = Encoding.ASCII.GetBytes("complete record");
        byte[] bytes = Frame(first, Encoding.ASCII.GetBytes("killed mid-write"));
        int secondStart = first.Length + 16;
        for (int cut = secondStart; cut < bytes.Length; cut++)
        {
            List<byte[]> read = ReadAll(bytes[..cut]);
            Assert.Single(read);
            Assert.Equal(first, read[0]);
        }
        Assert.Equal(2, ReadAll(bytes).Count);
    }

    [Fact]
    public void TruncatedLastRecord_OnNonSeekableStream_EndsTheFile()
    {
        byte[] bytes = Frame(Encoding.ASCII.GetBytes("a"), Encoding.ASCII.GetBytes("bcdef"));
        using var reader = new TFRecordReader(new ForwardOnlyStream(bytes[..^3]), "pipe");
        Assert.True(reader.TryRead(out byte[] r));
        Assert.Equal("a"u8.ToArray(), r);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void ReadFile_ReadsWhatWriterWrote()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tfrecord-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, Frame("x"u8.ToArray(), "yz"u8.ToArray()));
            Assert.Equal(["x", "yz"], TFRecordReader.ReadFile(path).Select(b => Encoding.ASCII.GetString(b)).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
