using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// Cast: converts elements from SrcT to DstT (float32/64, int32/64, uint8, bool). Float to
/// integer truncates toward zero; anything to bool is "!= 0"; bool to numbers is 0/1.
/// TF 1.9's Cast has only the SrcT and DstT attrs (Truncate came later).
/// </summary>
public sealed class CastOp : OpDefinition
{
    public override string Type => "Cast";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var x = op.Inputs[0];
        var src = op.Attrs.GetType("SrcT");
        if (src != x.DType)
            throw ShapeError(op, $"SrcT is {src.TfName()} but input '{x.Name}' is {x.DType.TfName()}");
        return [new(op.Attrs.GetType("DstT"), x.Shape)];
    }

    public override void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var dst = ctx.Op.Outputs[0].DType;
        var y = ctx.Output(0, dst, x.Shape);
        if (x.DType == dst) { Array.Copy(x.Data, y.Data, x.Size); return; }
        switch (x.DType, dst)
        {
            case (DType.Float, DType.Int32): TensorPrimitives.ConvertTruncating<float, int>(x.Floats, y.Ints); break;
            case (DType.Float, DType.Int64): TensorPrimitives.ConvertTruncating<float, long>(x.Floats, y.Longs); break;
            case (DType.Float, DType.Double): TensorPrimitives.ConvertTruncating<float, double>(x.Floats, Doubles(y)); break;
            case (DType.Float, DType.UInt8): TensorPrimitives.ConvertTruncating<float, byte>(x.Floats, y.Bytes); break;
            case (DType.Int32, DType.Float): TensorPrimitives.ConvertTruncating<int, float>(x.Ints, y.Floats); break;
            case (DType.Int32, DType.Int64): TensorPrimitives.ConvertTruncating<int, long>(x.Ints, y.Longs); break;
            case (DType.Int32, DType.Double): TensorPrimitives.ConvertTruncating<int, double>(x.Ints, Doubles(y)); break;
            case (DType.Int64, DType.Float): TensorPrimitives.ConvertTruncating<long, float>(x.Longs, y.Floats); break;
            case (DType.Int64, DType.Int32): TensorPrimitives.ConvertTruncating<long, int>(x.Longs, y.Ints); break;
            case (DType.Double, DType.Float): TensorPrimitives.ConvertTruncating<double, float>(Doubles(x), y.Floats); break;
            case (DType.UInt8, DType.Float): TensorPrimitives.ConvertTruncating<byte, float>(x.Bytes, y.Floats); break;
            case (DType.UInt8, DType.Int32): TensorPrimitives.ConvertTruncating<byte, int>(x.Bytes, y.Ints); break;
            case (DType.Bool, DType.Float): FromBool(x.Bools, y.Floats); break;
            case (DType.Bool, DType.Int32): FromBool(x.Bools, y.Ints); break;
            case (DType.Bool, DType.Int64): FromBool(x.Bools, y.Longs); break;
            case (DType.Float, DType.Bool): ToBool<float>(x.Floats, y.Bools); break;
            case (DType.Int32, DType.Bool): ToBool<int>(x.Ints, y.Bools); break;
            case (DType.Int64, DType.Bool): ToBool<long>(x.Longs, y.Bools); break;
            default:
                throw new NotSupportedException($"'{ctx.Op.Name}' (Cast) cannot cast {x.DType.TfName()} to {dst.TfName()}.");
        }
    }

    private static Span<double> Doubles(NDArray a) => new((double[])a.Data, 0, a.Size);

    private static void FromBool<T>(ReadOnlySpan<bool> x, Span<T> y) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] ? T.One : T.Zero;
    }

    private static void ToBool<T>(ReadOnlySpan<T> x, Span<bool> y) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] != T.Zero;
    }

    // TF's _CastGrad: between floating types the gradient is cast back to the source type
    // (math_ops.cast, so nothing is added when the types match); otherwise there is none.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var src = op.Inputs[0].DType;
        var grad = grads[0]!;
        return src.IsFloating() && grad.DType.IsFloating() ? [CastIfNeeded(grad, src)] : [null];
    };

    /// <summary>The raw Cast node (gen_math_ops.cast), even when the types already match.</summary>
    public static Tensor Create(Tensor x, DType dstT, string name = "Cast") =>
        OpBuilder.Create(x.Graph, "Cast", name, [x], ("SrcT", Attr.Type(x.DType)), ("DstT", Attr.Type(dstT))).Output;

    /// <summary>
    /// math_ops.cast (tf.cast): opens the name scope (so the name is taken either way) and
    /// returns <paramref name="x"/> itself when it already has <paramref name="dstT"/>.
    /// </summary>
    public static Tensor CastIfNeeded(Tensor x, DType dstT, string name = "Cast")
    {
        using var scope = x.Graph.NameScope(name);
        return x.DType == dstT ? x : Create(x, dstT, scope.ScopeName);
    }
}
