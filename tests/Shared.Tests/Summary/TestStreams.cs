namespace TfMnist.Tests.Summary;

/// <summary>A memory stream that can be told to fail every later write and flush.</summary>
internal sealed class FailingStream : MemoryStream
{
    public volatile bool Fail;

    public override void Write(byte[] buffer, int offset, int count) { ThrowIfFailing(); base.Write(buffer, offset, count); }
    public override void Write(ReadOnlySpan<byte> buffer) { ThrowIfFailing(); base.Write(buffer); }
    public override void Flush() { ThrowIfFailing(); base.Flush(); }

    private void ThrowIfFailing()
    {
        if (Fail) throw new IOException("simulated disk full");
    }
}

/// <summary>A memory stream whose writes block while the gate is closed.</summary>
internal sealed class GatedStream : MemoryStream
{
    public readonly ManualResetEventSlim Open = new(initialState: true);

    public override void Write(byte[] buffer, int offset, int count) { Open.Wait(); base.Write(buffer, offset, count); }
    public override void Write(ReadOnlySpan<byte> buffer) { Open.Wait(); base.Write(buffer); }
}
