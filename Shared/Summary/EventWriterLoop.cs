using System.Threading.Channels;

namespace TfMnist.Summary;

/// <summary>One queued unit: a serialized event to append, or a flush request to complete.</summary>
internal readonly record struct QueueItem(byte[]? Record, TaskCompletionSource? FlushDone);

/// <summary>
/// The background half of <see cref="EventFileWriter"/>: drains the queue into the record
/// writer, flushes when asked and every flush interval, and on the first I/O error records the
/// fault, closes the queue (releasing producers blocked on a full queue) and fails pending
/// flush requests, so that no caller waits forever on a dead writer.
/// </summary>
internal sealed class EventWriterLoop(Channel<QueueItem> queue, TFRecordWriter records, TimeSpan flushInterval)
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(10);

    private readonly ChannelReader<QueueItem> _reader = queue.Reader;
    private volatile Exception? _fault;
    private bool _dirty;
    private DateTime _nextFlush;

    public Exception? Fault => _fault;

    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                while (_reader.TryRead(out QueueItem item)) Process(item);
                if (_dirty && DateTime.UtcNow >= _nextFlush) FlushRecords();
                if (!await WaitForWorkAsync()) break;
                // Let more events gather before draining: woken once per event (every training step), a pool
                // thread kept switching in and spinning beside the two compute threads (perf: 7% of a training
                // run's samples on two cores). Flushes and Dispose wait at most this much longer.
                await Task.Delay(BatchWindow);
            }
            FlushRecords();
        }
        catch (Exception ex)
        {
            _fault = ex;
            queue.Writer.TryComplete(ex);
            // Fail every flush request still queued; plain records are dropped with the file.
            while (_reader.TryRead(out QueueItem item)) item.FlushDone?.TrySetException(ex);
        }
        finally
        {
            try { records.Dispose(); } catch (Exception ex) { _fault ??= ex; }
        }
    }

    private void Process(QueueItem item)
    {
        if (item.Record is not null)
        {
            if (!_dirty) _nextFlush = DateTime.UtcNow + flushInterval;
            records.Write(item.Record);
            _dirty = true;
        }
        if (item.FlushDone is not null)
        {
            try
            {
                FlushRecords();
            }
            catch (Exception ex)
            {
                // Record the fault before failing the request, so the waiting Flush sees it.
                _fault = ex;
                item.FlushDone.TrySetException(ex);
                throw;
            }
            item.FlushDone.TrySetResult();
        }
    }

    // Waits for queued items, or until the periodic flush is due when unflushed data exists.
    // Returns false once the queue is completed and empty.
    private async Task<bool> WaitForWorkAsync()
    {
        if (!_dirty) return await _reader.WaitToReadAsync();
        TimeSpan due = _nextFlush - DateTime.UtcNow;
        if (due <= TimeSpan.Zero) return true;
        using var timeout = new CancellationTokenSource(due);
        try
        {
            return await _reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true; // the loop flushes on its next turn
        }
    }

    private void FlushRecords()
    {
        records.Flush();
        _dirty = false;
    }
}
