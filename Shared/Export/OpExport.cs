using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Proto.Onnx;

namespace TfMnist.Export;

/// <summary>
/// One TF op being mapped: its inputs as <see cref="ExportValue"/>s, and the ways a mapping turns them
/// into ONNX names (a folded input becomes an initializer named after its TF tensor, once) and adds nodes
/// named after the op, whose outputs keep the op's TF tensor names.
/// </summary>
internal sealed class OpExport(Operation op, ExportValue[] inputs, OnnxGraphBuilder builder, Dictionary<(Tensor, DType), string> initializers)
{
    public Operation Op => op;
    public IReadOnlyList<ExportValue> Inputs => inputs;
    public OnnxGraphBuilder Builder => builder;

    public ExportValue In(int i) => inputs[i];

    /// <summary>Input <paramref name="i"/> as an ONNX value name.</summary>
    public string Use(int i) => Use(i, op.Inputs[i].DType);

    /// <summary>Input <paramref name="i"/> as an ONNX int64 value (shapes and axes are int64 in ONNX, often int32 in TF).</summary>
    public string UseInt64(int i) => Use(i, DType.Int64);

    private string Use(int i, DType want)
    {
        var tensor = op.Inputs[i];
        switch (inputs[i])
        {
            case ExportValue.Runtime r when r.DType == want:
                return r.Name;
            case ExportValue.Runtime r:
                return Helper("Cast", 6, [r.Name], $"Cast_{i}", OnnxFormat.Int("to", OnnxFormat.ElementType(want)));
            case ExportValue.Folded f:
                if (!initializers.TryGetValue((tensor, want), out string? name))
                {
                    var value = f.Value.DType == want ? f.Value : Convert(f.Value, want);
                    name = builder.Initializer(want == tensor.DType ? tensor.Name : $"{tensor.Name}/{want.TfName()}", value);
                    initializers[(tensor, want)] = name;
                }
                return name;
            case ExportValue.Filled fill:
                // A fill whose shape is only known at run time: the scalar expanded to it (Expand, opset 8).
                string scalar = builder.Initializer($"{tensor.Name}/fill", NDArray.ScalarOf(fill.Fill, want));
                string shape = fill.ShapeTensor switch
                {
                    ExportValue.Runtime s when s.DType == DType.Int64 => s.Name,
                    ExportValue.Runtime s => Helper("Cast", 6, [s.Name], $"fill_shape_{i}", OnnxFormat.Int("to", OnnxFormat.ElementType(DType.Int64))),
                    _ => throw Unsupported($"input {i} ('{tensor.Name}') is a fill of an unexpected shape"),
                };
                return Helper("Expand", 8, [scalar, shape], $"Expand_{i}");
            default:
                throw Unsupported($"input {i} ('{tensor.Name}') depends on random values (dropout with keep_prob below 1?); feed keep_prob 1");
        }
    }

    /// <summary>The op's own node: its output is the op's first TF tensor name.</summary>
    public ExportValue.Runtime Emit(string opType, int sinceOpset, IEnumerable<string> nodeInputs, params AttributeProto[] attributes)
    {
        var output = op.Outputs[0];
        return new ExportValue.Runtime(builder.Node(opType, op.Name, sinceOpset, nodeInputs, output.Name, attributes), output.DType);
    }

    /// <summary>A node the mapping needs besides the op's own (a Cast, a Transpose): named op/suffix.</summary>
    public string Helper(string opType, int sinceOpset, IEnumerable<string> nodeInputs, string suffix, params AttributeProto[] attributes) =>
        builder.Node(opType, $"{op.Name}/{suffix}", sinceOpset, nodeInputs, $"{op.Name}/{suffix}:0", attributes);

    /// <summary>A folded input's value, or an error naming the op when the mapping needs it known at export time.</summary>
    public NDArray Known(int i, string what) => inputs[i] is ExportValue.Folded f
        ? f.Value
        : throw Unsupported($"{what} (input {i}, '{op.Inputs[i].Name}') must be known at export time");

    /// <summary>The static rank of input <paramref name="i"/>, or an error naming the op.</summary>
    public int Rank(int i, string why) => op.Inputs[i].Shape.IsKnownRank ? op.Inputs[i].Shape.Rank
        : throw Unsupported($"the rank of input {i} is unknown, and {why}");

    public OnnxExportException Unsupported(string why) => OnnxExportException.AtNode(op, why);

    private static NDArray Convert(NDArray value, DType want)
    {
        var result = NDArray.Zeros(want, value.Shape);
        for (int k = 0; k < value.Size; k++)
        {
            double v = value.DType switch
            {
                DType.Float => value.Floats[k],
                DType.Int32 => value.Ints[k],
                DType.Int64 => value.Longs[k],
                _ => throw new NotSupportedException($"cannot convert a {value.DType.TfName()} constant"),
            };
            switch (want)
            {
                case DType.Float: result.Floats[k] = (float)v; break;
                case DType.Int32: result.Ints[k] = checked((int)v); break;
                case DType.Int64: result.Longs[k] = (long)v; break;
                default: throw new NotSupportedException($"cannot convert a constant to {want.TfName()}");
            }
        }
        return result;
    }
}
