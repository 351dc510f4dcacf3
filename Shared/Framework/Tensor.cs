using TfMnist.Core;
namespace TfMnist.Framework;

/// <summary>A symbolic value: output <see cref="Index"/> of <see cref="Op"/>, named "op:index".</summary>
public sealed class Tensor
{
    internal Tensor(Operation op, int index, DType dtype, Shape shape, bool isRef)
    {
        Op = op;
        Index = index;
        DType = dtype;
        Shape = shape;
        IsRef = isRef;
    }

    public Operation Op { get; }
    public int Index { get; }
    public DType DType { get; }

    /// <summary>A reference edge (a VariableV2 output): ops such as Assign write through it.</summary>
    public bool IsRef { get; }

    /// <summary>The statically known shape; <see cref="SetShape"/> can refine it.</summary>
    public Shape Shape { get; private set; }

    public Graph Graph => Op.Graph;
    public string Name => $"{Op.Name}:{Index}";

    /// <summary>Refines the static shape, as TF's set_shape does (must be compatible).</summary>
    public void SetShape(Shape shape)
    {
        if (!Shape.IsCompatibleWith(shape))
            throw new ArgumentException($"Tensor '{Name}' has shape {Shape}, which is incompatible with {shape}");
        Shape = Shape.MergeWith(shape);
    }

    /// <summary>The name a NodeDef input uses: "op" for output 0, "op:i" otherwise.</summary>
    internal string InputName => Index == 0 ? Op.Name : Name;

    public override string ToString() => $"<tf.Tensor '{Name}' shape={Shape} dtype={DType.TfName()}>";

    // Python's operators, named as TF 1.x names them: `+` is "add", `/` on floats is "truediv". They create the
    // ops by type name through the graph (which finds the definitions in OpCatalog), so the graph layer does not
    // name the op definitions above it; a Python scalar becomes a Const "y" of the tensor's dtype.
    public static Tensor operator +(Tensor a, Tensor b) => Binary("Add", a, b, "add");
    public static Tensor operator -(Tensor a, Tensor b) => Binary("Sub", a, b, "sub");
    public static Tensor operator *(Tensor a, Tensor b) => Binary("Mul", a, b, "mul");
    public static Tensor operator /(Tensor a, Tensor b) => Binary("RealDiv", a, b, "truediv");
    public static Tensor operator -(Tensor a) => a.Graph.CreateOperation("Neg", "Neg", [a], [TypeAttr(a)]).Output;
    public static Tensor operator *(Tensor a, float b) => a * Scalar(a, b);
    public static Tensor operator +(Tensor a, float b) => a + Scalar(a, b);

    /// <summary>A two-input op of x's dtype, created as TF's generated wrappers do: a name scope, then the node named
    /// after it. The binary ops' builders use it too.</summary>
    internal static Tensor Binary(string type, Tensor x, Tensor y, string name)
    {
        using var scope = x.Graph.NameScope(name);
        return x.Graph.CreateOperation(type, scope.ScopeName, [x, y], [TypeAttr(x)]).Output;
    }

    private static Tensor Scalar(Tensor like, float value) =>
        like.Graph.CreateOperation("Const", "y", [],
            [KeyValuePair.Create("dtype", Attr.Type(like.DType)), KeyValuePair.Create("value", Attr.Tensor(NDArray.ScalarOf(value, like.DType)))]).Output;

    private static KeyValuePair<string, Proto.AttrValue> TypeAttr(Tensor t) => KeyValuePair.Create("T", Attr.Type(t.DType));
}
