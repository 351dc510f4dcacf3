namespace TfMnist.Runtime;

public enum TraceLevel { NoTrace = 0, SoftwareTrace = 1, HardwareTrace = 2, FullTrace = 3 }

/// <summary>TF's RunOptions: a full trace asks the session to record per-node step stats.</summary>
public sealed class RunOptions
{
    public TraceLevel TraceLevel { get; init; } = TraceLevel.NoTrace;
}
