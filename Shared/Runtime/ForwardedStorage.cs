using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>
/// Where a tensor's storage comes from when ops forward their input's buffer as their output
/// (<see cref="Ops.OpDefinition.ForwardedInput"/>): the plan, fusion and kernels ask this instead of
/// keeping their own lists of op type names.
/// </summary>
internal static class ForwardedStorage
{
    /// <summary>The first op up the chain of forwarding ops whose output 0 is a buffer of its own (or a variable).</summary>
    public static Operation Origin(Tensor tensor)
    {
        var t = tensor;
        while (t.Index == 0 && t.Op.Definition?.ForwardedInput is int input && input < t.Op.Inputs.Count)
            t = t.Op.Inputs[input];
        return t.Op;
    }

    /// <summary>Whether <paramref name="tensor"/> is a variable's storage, directly or through forwarding ops (reads, reshapes, assigns).</summary>
    public static bool IsVariable(Tensor tensor) => Origin(tensor).Definition?.IsVariable == true;

    /// <summary>Whether output <paramref name="index"/> of <paramref name="op"/> is the storage of input <paramref name="input"/>.</summary>
    // An op whose shape inference threw stays in its inputs' consumers without outputs: it forwards nothing.
    public static bool Forwards(Operation op, int index, Tensor input) =>
        index == 0 && op.Outputs.Count > 0 && op.Definition?.ForwardedInput is int i && i < op.Inputs.Count && op.Inputs[i] == input;
}
