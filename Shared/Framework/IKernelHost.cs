using TfMnist.Core;

namespace TfMnist.Framework;

/// <summary>
/// What a kernel may ask of the session that runs it. Declared here, beside the op contract, so op
/// definitions never see the runtime: the Session implements it.
/// </summary>
public interface IKernelHost
{
    /// <summary>Graph-level seed for random ops without their own (tf.set_random_seed).</summary>
    int? Seed { get; }

    /// <summary>The current value of a variable op, or null while it is uninitialized.</summary>
    NDArray? GetVariable(Operation variable);

    /// <summary>Makes <paramref name="value"/> the variable's value (its storage, not a copy).</summary>
    void SetVariable(Operation variable, NDArray value);

    /// <summary>Per-op mutable state (random generators, histogram scratch), created on first use by a static
    /// factory, so the hot path allocates no closure.</summary>
    T GetOpState<T>(Operation op, Func<Operation, IKernelHost, T> create) where T : class;
}
