using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Runtime;

/// <summary>
/// What a kernel sees while it runs: its op, its input values, and output slots whose buffers
/// persist between runs of the same plan, so a steady-state step allocates nothing.
/// </summary>
public sealed class KernelContext
{
    private readonly RunState _state;
    private readonly int[] _inputSlots;
    private readonly int[] _outputSlots;
    private readonly NDArray?[] _ownedOutputs;

    internal KernelContext(RunState state, Operation op, int[] inputSlots, int[] outputSlots, OpDefinition? kernel = null)
    {
        _state = state;
        Op = op;
        Kernel = kernel ?? op.Definition!;
        _inputSlots = inputSlots;
        _outputSlots = outputSlots;
        _ownedOutputs = new NDArray?[outputSlots.Length];
    }

    public Operation Op { get; }

    /// <summary>The op's kernel, resolved once when the plan's run state is made (for a fused group's step, the group's).</summary>
    internal OpDefinition Kernel { get; }
    public Session Session => _state.Session;
    public int InputCount => _inputSlots.Length;

    /// <summary>The value of input <paramref name="i"/>; an uninitialized variable is an error naming it.</summary>
    public NDArray Input(int i)
    {
        var value = _state.Slots[_inputSlots[i]];
        if (value is null)
        {
            var source = Op.Inputs[i];
            throw new FailedPreconditionException(
                source.Op.Definition?.IsVariable == true
                    ? $"Attempting to use uninitialized value {source.Op.Name} (needed by '{Op.Name}')"
                    : $"Input {i} of '{Op.Name}' ({source.Name}) has no value.");
        }
        return value;
    }

    /// <summary>The variable behind a reference input (an Assign or Apply* target).</summary>
    public Operation RefInputVariable(int i)
    {
        var source = Op.Inputs[i].Op;
        // Through reference reads and the ref outputs of earlier updates, to the variable itself.
        while (source.Definition?.ForwardedInput is int forwarded && forwarded < source.Inputs.Count && source.Inputs[forwarded].IsRef)
            source = source.Inputs[forwarded].Op;
        if (source.Definition?.IsVariable != true)
            throw new InvalidOperationException($"Input {i} of '{Op.Name}' must be a variable reference, got '{source.Name}' ({source.Type}).");
        return source;
    }

    /// <summary>An output buffer of the given shape: the one from the previous run when it fits.</summary>
    public NDArray Output(int i, DType dtype, ReadOnlySpan<int> shape)
    {
        var cached = _ownedOutputs[i];
        if (cached is null || cached.DType != dtype || !cached.ShapeEquals(shape))
        {
            int size = NDArray.ElementCount(shape);
            cached = cached is not null && cached.DType == dtype && cached.Data.Length == size
                ? new NDArray(dtype, shape.ToArray(), cached.Data)
                : new NDArray(dtype, shape.ToArray(), NDArray.AllocateBuffer(dtype, size));
            _ownedOutputs[i] = cached;
        }
        _state.Slots[_outputSlots[i]] = cached;
        return cached;
    }

    /// <summary>Publishes an existing array as output <paramref name="i"/> (no copy: views, variables, feeds).</summary>
    public void SetOutput(int i, NDArray value) => _state.Slots[_outputSlots[i]] = value;

    public int OutputCount => _outputSlots.Length;

    /// <summary>
    /// Publishes <paramref name="input"/> under another shape as output <paramref name="i"/>
    /// without copying (ExpandDims, Squeeze). The view object is kept and reused while the buffer
    /// and shape stay the same, so steady-state runs allocate nothing.
    /// </summary>
    public void SetOutputView(int i, NDArray input, ReadOnlySpan<int> shape)
    {
        if (input.ShapeEquals(shape)) { SetOutput(i, input); return; }
        _views ??= new NDArray?[_outputSlots.Length];
        var view = _views[i];
        if (view is null || !ReferenceEquals(view.Data, input.Data) || view.DType != input.DType || !view.ShapeEquals(shape))
            _views[i] = view = input.Reshaped(shape.ToArray());
        SetOutput(i, view);
    }

    private NDArray?[]? _views;
}

/// <summary>A run cannot proceed in the current state (TF's FailedPreconditionError).</summary>
public sealed class FailedPreconditionException(string message) : InvalidOperationException(message);

/// <summary>A fed value or attr is wrong (TF's InvalidArgumentError).</summary>
public sealed class InvalidArgumentException(string message) : ArgumentException(message);
