#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Core;
using TfMnist.Ops;
using EngineGraph = TfMnist.Framework.Graph;

namespace Tensorflow;

// Array ops: shapes, fills, identities.
public sealed partial class tensorflow
{
    public Tensor reshape(Tensor tensor, Shape shape, string? name = null) => ReshapeOp.Create(tensor, shape.as_list(), name ?? "Reshape");

    public Tensor reshape(Tensor tensor, Tensor shape, string? name = null) => ReshapeOp.Create(tensor, shape, name ?? "Reshape");

    /// <summary>Removes size-1 dimensions: all of them, or those in <paramref name="axis"/>.</summary>
    public Tensor squeeze(Tensor input, int[]? axis = null, string? name = null, int squeeze_dims = -1) =>
        SqueezeOp.Create(input, axis ?? (squeeze_dims >= 0 ? [squeeze_dims] : null), name ?? "Squeeze");

    public Tensor squeeze(Tensor input, int axis, string? name = null) => squeeze(input, [axis], name);

    public Tensor expand_dims(Tensor input, int axis, string? name = null) => ExpandDimsOp.Create(input, axis, name ?? "ExpandDims");

    public Tensor shape(Tensor input, string? name = null) => ShapeOp.Create(input, name ?? "Shape");

    public Tensor identity(Tensor input, string? name = null) => IdentityOp.Create(input, name ?? "Identity");

    public Tensor stop_gradient(Tensor input, string? name = null) => StopGradientOp.Create(input, name ?? "StopGradient");

    public Tensor zeros_like(Tensor tensor, string? name = null) => ZerosLikeOp.Create(tensor, name ?? "zeros_like");

    public Tensor ones_like(Tensor tensor, string? name = null) => OnesLikeOp.Create(tensor, name ?? "ones_like");

    public Tensor fill(Tensor dims, Tensor value, string? name = null) => FillOp.Create(dims, value, name ?? "Fill");

    public Tensor tile(Tensor input, Tensor multiples, string? name = null) => TileOp.Create(input, multiples, name ?? "Tile");

    /// <summary>tf.zeros(shape): a Const when small, else Fill(shape, 0), as TF 1.x builds it.</summary>
    public Tensor zeros(Shape shape, TF_DataType dtype = TF_DataType.TF_FLOAT, string? name = null) => Filled(shape, dtype, 0, name ?? "zeros");

    public Tensor ones(Shape shape, TF_DataType dtype = TF_DataType.TF_FLOAT, string? name = null) => Filled(shape, dtype, 1, name ?? "ones");

    /// <summary>
    /// TF's zeros/ones: under the scope `name`, a constant of the shape when it has fewer than 1000
    /// elements (TF's _constant_if_small), else Fill("shape_as_tensor", Const) named by the scope.
    /// </summary>
    private static Tensor Filled(Shape shape, TF_DataType dtype, float value, string name)
    {
        var graph = EngineGraph.Current;
        var type = dtype.ToEngine();
        using var scope = graph.NameScope(name);
        var dims = shape.as_list();
        if (NDArray.ElementCount(dims) < 1000)
        {
            var small = NDArray.Zeros(type, dims);
            for (int i = 0; i < small.Size; i++) small.Data.SetValue(Convert.ChangeType(value, small.Data.GetType().GetElementType()!, System.Globalization.CultureInfo.InvariantCulture), i);
            return ConstOp.Create(small, scope.ScopeName, graph);
        }
        var shapeTensor = ConstOp.Vector(graph, dims, "shape_as_tensor");
        var fill = ConstOp.Scalar(graph, value, type, "Const");
        return FillOp.Create(shapeTensor, fill, scope.ScopeName);
    }
}
