using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf;
using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public sealed class EventFileWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}", "nested", "run");

    public void Dispose()
    {
        string root = Path.GetFullPath(Path.Combine(_dir, "..", ".."));
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static Proto.Summary Scalar(string tag, float value) =>
        new() { Value = { new Proto.Summary.Types.Value { Tag = tag, SimpleValue = value } } };

    [Fact]
    public void RoundTrip_ThroughReader()
    {
        double before = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        var graph = new GraphDef { Node = { new NodeDef { Name = "x", Op = "Placeholder" }, new NodeDef { Name = "y", Op = "Identity", Input = { "x" } } } };
        var metadata = new RunMetadata { StepStats = new StepStats { DevStats = { new DeviceStepStats { Device = "/cpu:0", NodeStats = { new NodeExecStats { NodeName = "y", AllStartMicros = 5 } } } } } };
        string path;
        using (var writer = new EventFileWriter(_dir))
        {
            path = writer.FilePath;
            writer.AddGraph(graph);
            for (int step = 1; step <= 5; step++) writer.AddSummary(Scalar("loss", step * 0.5f), step);
            writer.AddSummary(Scalar("accuracy", 0.9f).ToByteArray(), 6);
            writer.AddRunMetadata(metadata, "step6", 6);
        }

        Match m = Regex.Match(Path.GetFileName(path), @"^events\.out\.tfevents\.(\d{10})\.(.+)$");
        Assert.True(m.Success, Path.GetFileName(path));
        Assert.Equal(Dns.GetHostName(), m.Groups[2].Value);
        Assert.Equal(Path.GetFullPath(_dir), Path.GetDirectoryName(Path.GetFullPath(path)));

        List<Event> events = EventFileReader.Read(path).ToList();
        Assert.Equal(9, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.InRange(events[0].WallTime, before - 1, before + 60);
        Assert.Equal(long.Parse(m.Groups[1].Value), (long)Math.Floor(events[0].WallTime));

        Assert.Equal(graph, GraphDef.Parser.ParseFrom(events[1].GraphDef));
        for (int step = 1; step <= 5; step++)
        {
            Event e = events[1 + step];
            Assert.Equal(step, e.Step);
            Assert.Equal("loss", e.Summary.Value.Single().Tag);
            Assert.Equal(step * 0.5f, e.Summary.Value.Single().SimpleValue);
            Assert.True(e.WallTime >= events[step].WallTime);
        }
        Assert.Equal((6L, "accuracy"), (events[7].Step, events[7].Summary.Value.Single().Tag));
        Assert.Equal(0.9f, events[7].Summary.Value.Single().SimpleValue);
        Assert.InRange(events[7].WallTime, events[6].WallTime, before + 60);
        Assert.Equal(Event.WhatOneofCase.TaggedRunMetadata, events[8].WhatCase);
        Assert.Equal("step6", events[8].TaggedRunMetadata.Tag);
        Assert.Equal(6, events[8].Step);
        Assert.Equal(metadata, RunMetadata.Parser.ParseFrom(events[8].TaggedRunMetadata.RunMetadata));
    }

    [Fact]
    public void Flush_PutsQueuedEventsInTheFile_WhichOtherwiseWaitForTheInterval()
    {
        using var writer = new EventFileWriter(_dir); // 120 s default interval
        writer.AddSummary(Scalar("a", 1), 1);
        Thread.Sleep(200);
        // Still buffered: only the version record, flushed at creation, is readable.
        Assert.Single(EventFileReader.Read(writer.FilePath));
        writer.Flush();
        Assert.Equal(2, EventFileReader.Read(writer.FilePath).Count());
    }

    [Fact]
    public void PeriodicFlush_WritesWithoutExplicitFlush()
    {
        using var writer = new EventFileWriter(_dir, flushInterval: TimeSpan.FromMilliseconds(100));
        writer.AddSummary(Scalar("a", 1), 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (EventFileReader.Read(writer.FilePath).Count() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "periodic flush did not happen within 10 s");
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void BackgroundWriteError_SurfacesOnFlush_AndOnLaterAdds()
    {
        var stream = new FailingStream();
        var writer = new EventFileWriter(stream, "mem-events", 1.0, TimeSpan.FromSeconds(120), 1000);
        stream.Fail = true;
        writer.AddSummary(Scalar("a", 1), 1);
        var ex = Assert.Throws<IOException>(writer.Flush);
        Assert.Contains("simulated disk full", ex.Message);
        Assert.Contains("mem-events", ex.Message);
        Assert.Throws<IOException>(() => writer.AddSummary(Scalar("a", 2), 2));
        writer.Close(); // already reported: closing the dead writer does not throw again
    }

    [Fact]
    public void BackgroundWriteError_SurfacesOnClose()
    {
        var stream = new FailingStream();
        var writer = new EventFileWriter(stream, "mem-events", 1.0, TimeSpan.FromSeconds(120), 1000);
        stream.Fail = true;
        writer.AddSummary(Scalar("a", 1), 1);
        Assert.Throws<IOException>(writer.Close);
    }

    [Fact]
    public async Task BackgroundWriteError_ReleasesProducerBlockedOnFullQueue()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var stream = new FailingStream();
        var writer = new EventFileWriter(stream, "mem-events", 1.0, TimeSpan.FromSeconds(120), queueCapacity: 1);
        stream.Fail = true;
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++) writer.AddSummary(Scalar("a", i), i);
        }, ct);
        Assert.True(await Task.WhenAny(producer, Task.Delay(TimeSpan.FromSeconds(10), ct)) == producer, "producer hung on a dead writer");
        await Assert.ThrowsAsync<IOException>(() => producer);
        writer.Close();
    }

    [Fact]
    public async Task FullQueue_MakesAddWait()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var stream = new GatedStream();
        using var writer = new EventFileWriter(stream, "mem-events", 1.0, TimeSpan.FromSeconds(120), queueCapacity: 2);
        stream.Open.Reset();
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) writer.AddSummary(Scalar("a", i), i);
        }, ct);
        // One event is stuck in the blocked write, two fill the queue: the producer must wait.
        Assert.True(await Task.WhenAny(producer, Task.Delay(300, ct)) != producer, "Add did not wait on a full queue");
        stream.Open.Set();
        Assert.True(await Task.WhenAny(producer, Task.Delay(TimeSpan.FromSeconds(10), ct)) == producer, "producer still blocked after the writer resumed");
        await producer;
        writer.Flush();
        stream.Position = 0;
        using var reader = new TFRecordReader(stream, "mem", leaveOpen: true);
        int records = 0;
        while (reader.TryRead(out _)) records++;
        Assert.Equal(11, records);
    }

    [Fact]
    public void AddAfterClose_Throws()
    {
        var writer = new EventFileWriter(_dir);
        writer.Close();
        Assert.Throws<ObjectDisposedException>(() => writer.AddSummary(Scalar("a", 1), 1));
    }
}
