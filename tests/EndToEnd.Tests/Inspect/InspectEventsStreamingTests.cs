using Google.Protobuf;
using TfMnist.Cli;
using TfMnist.EndToEnd.Commands;
using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.EndToEnd.Inspect;

/// <summary>
/// <c>inspect events</c> streams: a log larger than the memory it may use is read in bounded
/// memory; a truncated last record is reported, not an error; a corrupt record is trouble (exit 2).
/// </summary>
public class InspectEventsStreamingTests
{
    /// <summary>An event log of <paramref name="records"/> image summaries of <paramref name="imageBytes"/> bytes each (plus a scalar).</summary>
    private static void WriteLog(string path, int records, int imageBytes)
    {
        var image = new byte[imageBytes];
        new Random(1).NextBytes(image);
        using var stream = File.Create(path);
        using var writer = new TFRecordWriter(stream);
        writer.Write(new Event { WallTime = 1, FileVersion = "brain.Event:2" }.ToByteArray());
        for (int step = 0; step < records; step++)
        {
            var summary = new Proto.Summary();
            summary.Value.Add(new Proto.Summary.Types.Value { Tag = "input/image/0", Image = new Proto.Summary.Types.Image { Height = 1, Width = imageBytes, Colorspace = 1, EncodedImageString = ByteString.CopyFrom(image) } });
            summary.Value.Add(new Proto.Summary.Types.Value { Tag = "loss", SimpleValue = 1f / (step + 1) });
            writer.Write(new Event { WallTime = 2, Step = step, Summary = summary }.ToByteArray());
        }
    }

    [Fact]
    public void A160MBLog_IsInspectedInBoundedMemory_WellBelowItsSize()
    {
        Requirement.Linux("peak RSS is read from /proc/<pid>/status");
        using var dir = Predictor.TestData.NewTempDir();
        string log = Path.Combine(dir.Path, "train");
        Directory.CreateDirectory(log);
        string file = Path.Combine(log, "events.out.tfevents.1.big");
        WriteLog(file, records: 160, imageBytes: 1 << 20);
        Assert.True(new FileInfo(file).Length > 160L << 20);

        var run = ConsoleProcess.Run("Predictor", "inspect", "events", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(ConsoleProcess.Lines(run.Stdout), l => l.Contains("input/image/0") && l.Contains("image") && l.Contains("160"));
        // Loading the file whole would need more than its 160 MiB; streaming needs the runtime plus a record or two.
        Assert.InRange(run.PeakRssKiB, 1, 110 * 1024);
    }

    [Fact]
    public async Task ATruncatedLastRecord_IsReported_NotAnError()
    {
        using var dir = Predictor.TestData.NewTempDir();
        string file = Path.Combine(dir.Path, "events.out.tfevents.1.cut");
        WriteLog(file, records: 5, imageBytes: 100);
        long whole = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(whole - 30); // a writer killed mid-record

        var run = await InspectRun.RunAsync("inspect", "events", file, "--json");

        Assert.Equal(ExitCodes.Ok, run.Exit);
        var only = Assert.Single(run.Json().GetProperty("runs").EnumerateArray());
        var summary = Assert.Single(only.GetProperty("files").EnumerateArray());
        Assert.Equal(5, summary.GetProperty("records").GetInt64()); // file_version and four whole steps
        Assert.True(summary.GetProperty("truncated_bytes").GetInt64() > 0);
        var loss = only.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("tag").GetString() == "loss");
        Assert.Equal(3, loss.GetProperty("last_step").GetInt64());
        Assert.Equal(0.25, loss.GetProperty("scalar").GetProperty("last").GetDouble(), 6);
        var text = await InspectRun.RunAsync("inspect", "events", file);
        Assert.Contains("truncated last record (", text.Out);
    }

    [Fact]
    public async Task ACorruptRecord_IsTrouble_Exit2_NamingTheFileAndOffset()
    {
        using var dir = Predictor.TestData.NewTempDir();
        string file = Path.Combine(dir.Path, "events.out.tfevents.1.bad");
        WriteLog(file, records: 3, imageBytes: 100);
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^10] ^= 0xFF; // inside the last record's data: its CRC no longer matches
        File.WriteAllBytes(file, bytes);

        var run = await InspectRun.RunAsync("inspect", "events", dir.Path);

        Assert.Equal(ExitCodes.InspectTrouble, run.Exit);
        string line = Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Contains(file, line);
        Assert.Contains("CRC", line);
    }

    [Theory]
    [InlineData("graph.pbtxt", "text proto")]
    [InlineData("saved_model.pb", "SavedModel")]
    [InlineData("model.ckpt", "V1 checkpoint")]
    public async Task OutOfScopeFormats_SaySoInOneLine_Exit2(string name, string says)
    {
        using var dir = Predictor.TestData.NewTempDir();
        string file = Path.Combine(dir.Path, name);
        File.WriteAllText(file, "x");
        if (name == "model.ckpt") File.WriteAllText(file + ".meta", "x");

        var run = await InspectRun.RunAsync("inspect", name.EndsWith(".ckpt") ? "checkpoint" : "graph", file);

        Assert.Equal(ExitCodes.InspectTrouble, run.Exit);
        string line = Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Contains(says, line);
        Assert.Contains("out of scope", line);
    }
}
