using System.Runtime.InteropServices;

namespace TfMnist.Trainer;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM ask the run to stop after the current step, whatever stdin and
/// stdout are (a terminal, a pipe, a file); a second signal ends the process at once. The exit
/// code tells which signal stopped the run (130 for SIGINT, 143 for SIGTERM: 128 + signal).
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _messages;
    private int _received; // 0, or the first signal's exit code

    public StopSignals(TextWriter messages)
    {
        _messages = messages;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, 130)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, 143)),
        ];
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>130 or 143 once a signal arrived, else null.</summary>
    public int? ExitCode => _received == 0 ? null : _received;

    private void OnSignal(PosixSignalContext context, int exitCode)
    {
        if (Interlocked.CompareExchange(ref _received, exitCode, 0) != 0)
            return; // the second signal: the default action ends the process
        context.Cancel = true;
        _messages.WriteLine($"\nStopping ({context.Signal}): finishing the current step, flushing logs and saving the checkpoint...");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
