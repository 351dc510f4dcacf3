#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using TfMnist.Runtime;
using EngineRunOptions = TfMnist.Runtime.RunOptions;

namespace Tensorflow;

/// <summary>
/// A session's configuration, TensorFlow's ConfigProto: the fields programs set. The engine runs on
/// the CPU with its own scheduling, so these are accepted and recorded, not acted on.
/// </summary>
public sealed class ConfigProto
{
    public bool AllowSoftPlacement { get; set; }
    public bool LogDevicePlacement { get; set; }
    public int IntraOpParallelismThreads { get; set; }
    public int InterOpParallelismThreads { get; set; }
    public GPUOptions GpuOptions { get; set; } = new();
}

/// <summary>GPU options of a ConfigProto; the engine has no GPU, so they have no effect.</summary>
public sealed class GPUOptions
{
    public bool AllowGrowth { get; set; }
    public double PerProcessGpuMemoryFraction { get; set; }
}

/// <summary>TF's RunOptions: a FULL_TRACE run records step stats into its RunMetadata.</summary>
public sealed class RunOptions
{
    public const int NO_TRACE = 0, FULL_TRACE = 3;

    public RunOptions(int trace_level = NO_TRACE) => Value = new EngineRunOptions { TraceLevel = (TraceLevel)trace_level };

    internal EngineRunOptions Value { get; }

    public int trace_level => (int)Value.TraceLevel;
}

/// <summary>TF's RunMetadata: what a traced run recorded (step stats, the partition graphs).</summary>
public sealed class RunMetadata
{
    public TfMnist.Proto.RunMetadata Value { get; } = new();
}
