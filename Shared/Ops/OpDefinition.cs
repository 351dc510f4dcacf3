using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>The dtype, static shape and ref-ness of one output, as shape inference decides it.</summary>
public readonly record struct OutputSpec(DType DType, Shape Shape, bool IsRef = false);

/// <summary>Builds the gradient subgraph of one op: given d(loss)/d(outputs), returns d(loss)/d(inputs).</summary>
public delegate Tensor?[] GradientFunction(Operation op, IReadOnlyList<Tensor?> outputGradients);

/// <summary>
/// One TensorFlow op type: its name, output inference (shape rule), CPU kernel and gradient.
/// Each op lives in one file holding all four, so they are read and changed together.
/// </summary>
public abstract class OpDefinition
{
    /// <summary>The TF op type name, e.g. "MatMul".</summary>
    public abstract string Type { get; }

    /// <summary>Output dtypes and static shapes from the inputs and attrs; throws naming the op on a mismatch.</summary>
    public abstract OutputSpec[] InferOutputs(Operation op);

    /// <summary>Runs the op on host tensors.</summary>
    public abstract void Compute(KernelContext ctx);

    /// <summary>The gradient rule; null when the op has none (then <see cref="IsNotDifferentiable"/> must say so).</summary>
    public virtual GradientFunction? Gradient => null;

    /// <summary>TF's ops.NotDifferentiable: gradients stop here silently instead of raising.</summary>
    public virtual bool IsNotDifferentiable => false;

    /// <summary>Has side effects or randomness: never skipped or deduplicated by the runtime.</summary>
    public virtual bool IsStateful => false;

    /// <summary>
    /// A variable: its output is storage that lives in the session across runs and that Assign and
    /// the Apply* ops update in place (VariableV2, and the pre-1.0 Variable).
    /// </summary>
    public virtual bool IsVariable => false;

    /// <summary>
    /// The input whose storage the kernel publishes as output 0 without copying (Identity, Reshape,
    /// StopGradient; Assign and Apply* publish the variable behind their reference input), or null
    /// when output 0 is a buffer of its own. Whoever keeps or hands out an output must follow these
    /// to know whether it is really a variable's storage, which a later update in the run changes.
    /// </summary>
    public virtual int? ForwardedInput => null;

    /// <summary>
    /// The index of a reference input this op writes through (Assign, ApplyGradientDescent), or
    /// null. The runtime orders every other reader of that variable before the write.
    /// </summary>
    public virtual int? MutatedRefInput => null;

    /// <summary>
    /// How many leading elements (row-major) of input <paramref name="input"/> the kernel reads, when that is a
    /// fixed prefix whatever the run's values; <paramref name="outputDemand"/> says the same of this op's outputs
    /// (null: all of it). Null, the default, means the whole input. A fused producer uses it to skip writing
    /// values no reader needs (<see cref="Runtime.OutputDemand"/>).
    /// </summary>
    public virtual long? LeadingElementsRead(Operation op, int input, Func<Tensor, long?> outputDemand) => null;

    /// <summary>Called once when a plan is built for <paramref name="op"/>; kernels may cache decoded attrs.</summary>
    public virtual void Prepare(Operation op) { }

    protected static InvalidOperationException ShapeError(Operation op, string message) =>
        new ShapeMismatchException($"Shape mismatch in '{op.Name}' ({op.Type}): {message}");
}

/// <summary>Static shapes that cannot fit together; the message names the ops involved.</summary>
public sealed class ShapeMismatchException(string message) : InvalidOperationException(message);
