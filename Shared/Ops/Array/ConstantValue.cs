using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>TF's tensor_util.constant_value: the value of a tensor when it is known at graph-build time.</summary>
public static class ConstantValue
{
    public static NDArray? Of(Tensor t)
    {
        if (t.Op.Type == "Const") return TensorProtos.FromProto(t.Op.Attrs.GetTensor("value"), t.Op.Name);
        if (t.Op.Type == "Shape" && t.Op.Inputs[0].Shape.IsFullyDefined)
            return t.Op.Inputs[0].Shape.ToArray();
        if (t.Op.Type == "Identity") return Of(t.Op.Inputs[0]);
        return null;
    }

    public static int[]? Ints(Tensor t)
    {
        var value = Of(t);
        return value switch
        {
            { DType: DType.Int32 } => value.Ints.ToArray(),
            { DType: DType.Int64 } => value.Longs.ToArray().Select(v => (int)v).ToArray(),
            _ => null,
        };
    }
}
