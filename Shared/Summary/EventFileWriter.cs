using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// Writes a TensorFlow event file (<c>events.out.tfevents.&lt;secs&gt;.&lt;host&gt;</c>) that
/// TensorBoard reads. Events are serialized on the caller's thread (so later mutation of a
/// message cannot race the writer) and written by a background task through a bounded queue;
/// a full queue makes Add wait rather than grow without limit. A failure of the background
/// writer is rethrown by the next Add, Flush or Close. Add and Flush may be called from any
/// thread; Close once, after the producers are done.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    public const string FileVersion = "brain.Event:2";

    /// <summary>TF 1.x FileWriter's default flush_secs.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(120);

    public const int DefaultQueueCapacity = 1000;

    private readonly Channel<QueueItem> _queue;
    private readonly EventWriterLoop _loop;
    private readonly Task _background;
    private bool _closed;
    private bool _faultReported;

    /// <param name="logDir">Created if missing.</param>
    /// <param name="flushInterval">How often queued events reach the OS; TF's default is 120 s.</param>
    /// <param name="filenameSuffix">Appended to the file name, as TF's filename_suffix.</param>
    public EventFileWriter(string logDir, TimeSpan? flushInterval = null,
        int queueCapacity = DefaultQueueCapacity, string filenameSuffix = "")
        : this(CreateFile(logDir, filenameSuffix, out double wallTime, out string path), path, wallTime,
               flushInterval ?? DefaultFlushInterval, queueCapacity)
    {
    }

    /// <summary>Writes to a caller-supplied stream; tests use it to inject write failures.</summary>
    internal EventFileWriter(Stream stream, string path, double wallTime, TimeSpan flushInterval, int queueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(flushInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        FilePath = path;
        var records = new TFRecordWriter(stream);
        try
        {
            // The version record is written and flushed before returning so the file is a
            // valid event file from the moment it exists.
            records.Write(new Event { WallTime = wallTime, FileVersion = FileVersion }.ToByteArray());
            records.Flush();
        }
        catch
        {
            records.Dispose();
            throw;
        }
        _queue = Channel.CreateBounded<QueueItem>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = new EventWriterLoop(_queue, records, flushInterval);
        _background = Task.Run(_loop.RunAsync);
    }

    public string FilePath { get; }

    /// <summary>Queues an event as given (its wall_time and step are the caller's).</summary>
    public void AddEvent(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Enqueue(new QueueItem(e.ToByteArray(), null));
    }

    public void AddSummary(Proto.Summary summary, long step)
    {
        ArgumentNullException.ThrowIfNull(summary);
        AddEvent(new Event { WallTime = Now(), Step = step, Summary = summary });
    }

    /// <summary>
    /// Queues the output of a summary op (a serialized Summary proto). The Event is framed around
    /// the bytes as they are (wall_time = 1, step = 2, summary = 5), its head written through
    /// this thread's CodedOutputStream as the generated code would (a zero step left out): no
    /// parse and re-encode on the training thread, and only the record is allocated.
    /// </summary>
    public void AddSummary(ReadOnlySpan<byte> serializedSummary, long step)
    {
        double wallTime = Now();
        int head = CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeDoubleSize(wallTime)
            + (step == 0 ? 0 : CodedOutputStream.ComputeTagSize(2) + CodedOutputStream.ComputeInt64Size(step))
            + CodedOutputStream.ComputeTagSize(5) + CodedOutputStream.ComputeLengthSize(serializedSummary.Length);
        var record = new byte[head + serializedSummary.Length];
        var writer = t_headWriter ??= new CodedArrayWriter(bufferSize: 32);
        var output = writer.Start(record);
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(wallTime);
        if (step != 0)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt64(step);
        }
        output.WriteTag(5, WireFormat.WireType.LengthDelimited);
        output.WriteLength(serializedSummary.Length);
        writer.Finish(head);
        serializedSummary.CopyTo(record.AsSpan(head));
        Enqueue(new QueueItem(record, null));
    }

    /// <summary>One head writer per producing thread: AddSummary may be called from any thread.</summary>
    [ThreadStatic] private static CodedArrayWriter? t_headWriter;

    public void AddGraph(GraphDef graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        AddEvent(new Event { WallTime = Now(), GraphDef = graph.ToByteString() });
    }

    public void AddRunMetadata(RunMetadata metadata, string tag, long step)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tag);
        AddEvent(new Event
        {
            WallTime = Now(),
            Step = step,
            TaggedRunMetadata = new TaggedRunMetadata { Tag = tag, RunMetadata = metadata.ToByteString() },
        });
    }

    /// <summary>Returns once every event queued before the call has been handed to the OS.</summary>
    public void Flush()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new QueueItem(null, done));
        try
        {
            done.Task.GetAwaiter().GetResult();
        }
        catch (Exception) when (_loop.Fault is not null)
        {
            ThrowFault();
        }
    }

    /// <summary>Flushes, stops the background writer and closes the file.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _queue.Writer.TryComplete();
        _background.GetAwaiter().GetResult();
        if (_loop.Fault is not null && !_faultReported) ThrowFault();
    }

    public void Dispose() => Close();

    private void Enqueue(QueueItem item)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_loop.Fault is not null) ThrowFault();
        if (_queue.Writer.TryWrite(item)) return;
        try
        {
            // Full queue: block the producer; this is the back-pressure the bound exists for.
            _queue.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException) when (_loop.Fault is not null)
        {
            ThrowFault();
        }
    }

    private void ThrowFault()
    {
        _faultReported = true;
        throw new IOException($"Writing event file '{FilePath}' failed: {_loop.Fault!.Message}", _loop.Fault);
    }

    private static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    private static FileStream CreateFile(string logDir, string suffix, out double wallTime, out string path)
    {
        Directory.CreateDirectory(logDir);
        wallTime = Now();
        string name = $"events.out.tfevents.{(long)Math.Floor(wallTime)}.{Dns.GetHostName()}{suffix}";
        path = Path.Combine(logDir, name);
        // CreateNew: two writers started in the same second must not silently clobber a file.
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 16);
    }
}
