using TfMnist.Core;

namespace TfMnist.Export;

/// <summary>
/// TF op type -> how it becomes ONNX, each at the opset where that ONNX form first exists. Every form
/// used here is valid from its opset through 12, so the model's opset is simply the highest one a kept
/// node needs (never below <see cref="OnnxFormat.MinOpset"/>; with Round, 11). An op type not in the
/// table is an <see cref="OnnxExportException"/> naming the node.
/// </summary>
internal static class OnnxOpTable
{
    /// <summary>Maps the op; returns the value of its (single) output.</summary>
    public delegate ExportValue Mapping(OpExport op);

    private static readonly Dictionary<string, Mapping> Table = new(StringComparer.Ordinal)
    {
        ["Identity"] = Unary("Identity", 1),
        ["StopGradient"] = Unary("Identity", 1),
        ["Relu"] = Unary("Relu", 6),
        ["Round"] = Unary("Round", 11),   // both round half to even
        ["Floor"] = NoiseRules.Floor,
        ["Neg"] = Unary("Neg", 6),
        ["Exp"] = Unary("Exp", 6),
        ["Sqrt"] = Unary("Sqrt", 6),
        ["Tanh"] = Unary("Tanh", 6),
        ["Sigmoid"] = Unary("Sigmoid", 6),
        ["Square"] = op => op.Emit("Mul", 7, [op.Use(0), op.Use(0)]),
        ["Add"] = NoiseRules.Add,
        ["AddV2"] = NoiseRules.Add,
        ["Sub"] = Binary("Sub", 7),
        ["Mul"] = NoiseRules.Mul,
        ["RealDiv"] = op => op.In(1) is ExportValue.Folded d && d.IsScalarEqualTo(1) ? op.In(0) : Binary("Div", 7)(op),
        ["Maximum"] = Binary("Max", 8),   // Max and Min broadcast from opset 8
        ["Minimum"] = Binary("Min", 8),
        ["BiasAdd"] = BiasAdd,
        ["MatMul"] = MatMul,
        ["Softmax"] = LastAxis("Softmax"),
        ["LogSoftmax"] = LastAxis("LogSoftmax"),
        ["Reshape"] = Reshape,
        ["Shape"] = ShapeOf,
        ["Cast"] = op => op.Emit("Cast", 6, [op.Use(0)], OnnxFormat.Int("to", OnnxFormat.ElementType(op.Op.Attrs.GetType("DstT")))),
        ["ArgMax"] = ArgMax,
        ["Sum"] = Reduce("ReduceSum"),
        ["Mean"] = Reduce("ReduceMean"),
        ["Max"] = Reduce("ReduceMax"),
        ["Min"] = Reduce("ReduceMin"),
        ["Prod"] = Reduce("ReduceProd"),
        ["RandomUniform"] = NoiseRules.RandomUniform,
    };

    /// <summary>The op types the exporter maps (for messages and documentation).</summary>
    public static IEnumerable<string> MappedTypes => Table.Keys;

    public static bool TryGet(string type, out Mapping mapping) => Table.TryGetValue(type, out mapping!);

    private static Mapping Unary(string onnx, int since) => op => op.Emit(onnx, since, [op.Use(0)]);

    /// <summary>TF's binary ops broadcast like NumPy, as ONNX's do from opset 7 (multidirectional broadcasting).</summary>
    internal static Mapping Binary(string onnx, int since) => op => op.Emit(onnx, since, [op.Use(0), op.Use(1)]);

    private static ExportValue BiasAdd(OpExport op)
    {
        string format = op.Op.Attrs.Contains("data_format") ? op.Op.Attrs.GetString("data_format") : "NHWC";
        if (format != "NHWC") throw op.Unsupported($"data_format {format} has no mapping (only NHWC, the bias on the last axis)");
        return op.Emit("Add", 7, [op.Use(0), op.Use(1)]);
    }

    private static ExportValue MatMul(OpExport op)
    {
        string Operand(int i, string attr) => op.Op.Attrs.GetBool(attr, false)
            ? op.Helper("Transpose", 1, [op.Use(i)], $"{attr}", OnnxFormat.Ints("perm", [1, 0]))
            : op.Use(i);
        return op.Emit("MatMul", 1, [Operand(0, "transpose_a"), Operand(1, "transpose_b")]);
    }

    /// <summary>TF's Softmax is over the last axis; opset 1's Softmax flattens to 2-D at its axis, which for the last
    /// axis is the same thing, so no opset-13 form is needed.</summary>
    private static Mapping LastAxis(string onnx) => op =>
        op.Emit(onnx, 1, [op.Use(0)], OnnxFormat.Int("axis", op.Rank(0, $"{onnx} needs the last axis") - 1));

    private static ExportValue Reshape(OpExport op)
    {
        // Before opset 14 a 0 in ONNX's shape copies the input's dimension, where TF means an empty one.
        if (op.In(1) is ExportValue.Folded f && ToLongs(f.Value).Contains(0))
            throw op.Unsupported("a zero-sized dimension in the target shape has no opset-5 Reshape equivalent");
        return op.Emit("Reshape", 5, [op.Use(0), op.UseInt64(1)]);
    }

    /// <summary>ONNX's Shape gives int64; TF's out_type (int32 by default) is a Cast after it. Either way the value
    /// remembers whose shape it is, so the dropout's fill of that shape can act as a scalar.</summary>
    private static ExportValue ShapeOf(OpExport op)
    {
        string of = op.Use(0);
        var outType = op.Op.Attrs.Contains("out_type") ? op.Op.Attrs.GetType("out_type") : DType.Int32;
        var shape = outType == DType.Int64
            ? op.Emit("Shape", 1, [of])
            : op.Emit("Cast", 6, [op.Helper("Shape", 1, [of], "int64")], OnnxFormat.Int("to", OnnxFormat.ElementType(outType)));
        return shape with { ShapeOf = of };
    }

    private static ExportValue ArgMax(OpExport op)
    {
        int rank = op.Rank(0, "ArgMax needs it to place the axis");
        long axis = Axis(op.Known(1, "the axis"), rank);
        var attrs = new[] { OnnxFormat.Int("axis", axis), OnnxFormat.Int("keepdims", 0) };
        var outType = op.Op.Attrs.Contains("output_type") ? op.Op.Attrs.GetType("output_type") : DType.Int64;
        if (outType == DType.Int64) return op.Emit("ArgMax", 1, [op.Use(0)], attrs);
        string index = op.Helper("ArgMax", 1, [op.Use(0)], "int64", attrs);
        return op.Emit("Cast", 6, [index], OnnxFormat.Int("to", OnnxFormat.ElementType(outType)));
    }

    /// <summary>Reductions with their axes as an attribute (the form up to opset 12 for ReduceSum, 17 for the rest).</summary>
    private static Mapping Reduce(string onnx) => op =>
    {
        int rank = op.Rank(0, $"{onnx} needs it to place the axes");
        long[] axes = ToLongs(op.Known(1, "the reduction axes")).Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();
        // TF reduces over no axes as the identity; ONNX's reductions with no axes reduce over all of them.
        if (axes.Length == 0) return op.Emit("Identity", 1, [op.Use(0)]);
        long keep = op.Op.Attrs.GetBool("keep_dims", false) ? 1 : 0;
        return op.Emit(onnx, 1, [op.Use(0)], OnnxFormat.Ints("axes", axes), OnnxFormat.Int("keepdims", keep));
    };

    private static long Axis(NDArray value, int rank)
    {
        long axis = ToLongs(value).Single();
        return axis < 0 ? axis + rank : axis;
    }

    internal static long[] ToLongs(NDArray value) => value.DType switch
    {
        DType.Int32 => value.Ints.ToArray().Select(v => (long)v).ToArray(),
        DType.Int64 => value.Longs.ToArray(),
        _ => throw new NotSupportedException($"a {value.DType.TfName()} tensor of axes or dimensions"),
    };
}
