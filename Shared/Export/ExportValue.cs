using TfMnist.Core;

namespace TfMnist.Export;

/// <summary>
/// What a TensorFlow tensor of the exported subgraph is once its fed scalars and variables are known:
/// computed at run time by the ONNX graph, a folded constant, uniform noise, or a value that fills a
/// run-time shape. The last two exist so that TF's dropout subgraph at keep_prob 1 folds away.
/// </summary>
internal abstract record ExportValue
{
    /// <summary>An ONNX value computed at run time.</summary>
    /// <param name="Name">Its ONNX name (a TF tensor name, or an earlier value's for an exact alias such as x / 1).</param>
    /// <param name="DType">Its element type.</param>
    /// <param name="ShapeOf">When this value is the shape of another run-time value, that value's ONNX name.</param>
    public sealed record Runtime(string Name, DType DType, string? ShapeOf = null) : ExportValue;

    /// <summary>A value known at export time (fed, a variable's restored value, or folded from those).</summary>
    public sealed record Folded(NDArray Value) : ExportValue
    {
        /// <summary>A rank-0 value: broadcasting it never changes the other operand's shape.</summary>
        public bool IsScalar => Value.Rank == 0;

        public bool IsScalarEqualTo(double v) => IsScalar && Value.DType is DType.Float or DType.Double && Value.ScalarFloat() == v;
    }

    /// <summary>
    /// <c>Offset + U</c>, U a RandomUniform output: float32 multiples of 2^-23 in [0, 1), as TF draws them
    /// (23 random mantissa bits). Only exact steps keep it (x · 1, + 0, + 1), so <c>Floor</c> of it is
    /// exactly <see cref="Offset"/> for offsets 0 and 1 (1 + U is at most 2 - 2^-23, representable).
    /// </summary>
    /// <param name="ShapeTensor">The value of the shape the noise was drawn with.</param>
    public sealed record UniformNoise(float Offset, ExportValue ShapeTensor) : ExportValue;

    /// <summary>Every element <see cref="Fill"/>, in the shape given by <see cref="ShapeTensor"/> (known only at run time).</summary>
    public sealed record Filled(float Fill, ExportValue ShapeTensor) : ExportValue
    {
        /// <summary>True when the shape is that of run-time value <paramref name="onnxName"/>: then the fill acts as a scalar.</summary>
        public bool HasShapeOf(string onnxName) => ShapeTensor is Runtime { ShapeOf: { } of } && of == onnxName;
    }
}
