using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>BiasAdd: value [..., C] + bias [C] along the last axis (data_format NHWC only).</summary>
public sealed class BiasAddOp : OpDefinition
{
    public override string Type => "BiasAdd";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (value, bias) = (op.Inputs[0], op.Inputs[1]);
        RequireNhwc(op);
        if (value.DType != bias.DType)
            throw ShapeError(op, $"value '{value.Name}' ({value.DType.TfName()}) and bias '{bias.Name}' ({bias.DType.TfName()}) must have the same dtype");
        if (value.Shape.IsKnownRank && value.Shape.Rank < 2)
            throw ShapeError(op, $"value '{value.Op.Name}' must be at least 2-D, got shape {value.Shape}");
        if (bias.Shape.IsKnownRank && bias.Shape.Rank != 1)
            throw ShapeError(op, $"bias '{bias.Op.Name}' must be 1-D, got shape {bias.Shape}");
        if (value.Shape.IsKnownRank && bias.Shape.IsKnownRank && value.Shape[-1] >= 0 && bias.Shape[0] >= 0 && value.Shape[-1] != bias.Shape[0])
            throw ShapeError(op, $"bias '{bias.Op.Name}' has shape {bias.Shape}, which does not match the last dimension of '{value.Op.Name}' {value.Shape}");
        if (!value.Shape.IsKnownRank || !bias.Shape.IsKnownRank || value.Shape[-1] >= 0) return [new(value.DType, value.Shape)];
        var dims = value.Shape.ToArray();
        dims[^1] = bias.Shape[0];
        return [new(value.DType, new Shape(dims))];
    }

    /// <summary>Only the NHWC layout (channels last) is implemented; NCHW is refused when the graph is built.</summary>
    internal static void RequireNhwc(Operation op)
    {
        string format = op.Attrs.Contains("data_format") ? op.Attrs.GetString("data_format") : "NHWC";
        if (format != "NHWC")
            throw new NotSupportedException($"'{op.Name}' ({op.Type}): data_format '{format}' is not supported; only NHWC.");
    }

    public override void Compute(KernelContext ctx)
    {
        var (value, bias) = (ctx.Input(0), ctx.Input(1));
        if (value.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' (BiasAdd) does not support {value.DType.TfName()}.");
        if (value.Rank < 2 || bias.Rank != 1 || value.Shape[^1] != bias.Shape[0])
            throw new InvalidArgumentException(
                $"Must provide as many biases as the last dimension of the input tensor in '{ctx.Op.Name}': [{string.Join(",", bias.Shape)}] vs. [{string.Join(",", value.Shape)}]");
        var output = ctx.Output(0, value.DType, value.Shape);
        int channels = bias.Size;
        if (channels == 0) return;
        var x = value.Floats;
        var b = bias.Floats;
        var y = output.Floats;
        for (int start = 0; start < x.Length; start += channels)
            TensorPrimitives.Add(x.Slice(start, channels), b, y.Slice(start, channels));
    }

    // TF 1.9's _BiasAddGrad: (received_grad, bias_add_grad(received_grad, data_format)).
    public override GradientFunction Gradient => (op, grads) =>
        [grads[0], BiasAddGradOp.Create(grads[0]!, op.Attrs.GetString("data_format"))];

    public static Tensor Create(Tensor value, Tensor bias, string dataFormat = "NHWC", string name = "BiasAdd")
    {
        // tf.nn.bias_add opens name_scope(name, "BiasAdd") and names the op after it.
        using var scope = value.Graph.NameScope(name);
        return OpBuilder.Create(value.Graph, "BiasAdd", scope.ScopeName, [value, bias],
            OpBuilder.T(value.DType), ("data_format", Attr.String(dataFormat))).Output;
    }
}
