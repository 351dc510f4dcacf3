using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// TF 1.9's Python-level wrappers that gradients call (array_ops.shape/rank/size, zeros,
/// math_ops.cast): unlike the raw ops they fold statically known values into a Const of the
/// same name, exactly as TF does at graph-build time, so gradient graphs get TF's nodes.
/// </summary>
public static class PyArrayOps
{
    /// <summary>array_ops.shape: a Const named "Shape" when the shape is fully defined, else a Shape op.</summary>
    public static Tensor Shape(Tensor input, string name = "Shape")
    {
        if (!input.Shape.IsFullyDefined) return ShapeOp.Create(input, name);
        using var scope = input.Graph.NameScope(name);
        return ConstOp.Vector(input.Graph, input.Shape.ToArray(), scope.ScopeName);
    }

    /// <summary>array_ops.rank: a Const named "Rank" when the rank is known, else a Rank op.</summary>
    public static Tensor Rank(Tensor input, string name = "Rank")
    {
        using var scope = input.Graph.NameScope(name);
        return input.Shape.IsKnownRank
            ? ConstOp.Create(input.Shape.Rank, scope.ScopeName, input.Graph)
            : RankOp.Create(input, scope.ScopeName);
    }

    /// <summary>array_ops.size: a Const named "Size" when the element count is known (or a dim is 0), else a Size op.</summary>
    public static Tensor Size(Tensor input, string name = "Size")
    {
        using var scope = input.Graph.NameScope(name);
        if (input.Shape.IsFullyDefined)
            return ConstOp.Create(checked((int)input.Shape.NumElements), scope.ScopeName, input.Graph);
        if (input.Shape.IsKnownRank && input.Shape.Dims.Contains(0))
            return ConstOp.Create(0, scope.ScopeName, input.Graph);
        return SizeOp.Create(input, scope.ScopeName);
    }

    /// <summary>array_ops.zeros(shape_tensor, dtype): "zeros/Const" filled into "zeros".</summary>
    public static Tensor Zeros(Tensor shape, DType dtype, string name = "zeros")
    {
        using var scope = shape.Graph.NameScope(name);
        if (!shape.Shape.IsKnownRank || shape.Shape.Rank != 1) shape = ReshapeOp.Create(shape, [-1]);
        var zero = dtype == DType.Bool ? ConstOp.Create(false, "Const", shape.Graph) : ConstOp.Scalar(shape.Graph, 0f, dtype);
        return FillOp.Create(shape, zero, scope.ScopeName);
    }

    /// <summary>
    /// array_ops.zeros with a static shape: a Const named <paramref name="name"/> when it has fewer than 1000
    /// elements (TF's _constant_if_small), else "&lt;name&gt;/shape_as_tensor" and "&lt;name&gt;/Const" filled into
    /// "&lt;name&gt;". A name ending in "/" names the node exactly (a scope TF passes down).
    /// </summary>
    public static Tensor Zeros(Graph graph, Shape shape, DType dtype, string name = "zeros") => Filled(graph, shape, dtype, 0f, name);

    /// <summary>array_ops.zeros (value 0, "zeros") and array_ops.ones (value 1, "ones") with a static shape.</summary>
    public static Tensor Filled(Graph graph, Shape shape, DType dtype, float value, string name)
    {
        if (!shape.IsFullyDefined) throw new ArgumentException($"{name} needs a fully defined shape, got {shape}.", nameof(shape));
        using var scope = graph.NameScope(name);
        var dims = shape.ToArray();
        if (shape.NumElements < 1000)
        {
            var array = NDArray.Zeros(dtype, dims);
            if (value != 0) Fill(array, value);
            return ConstOp.Create(array, scope.ScopeName, graph);
        }
        var shapeTensor = ConstOp.Vector(graph, dims, "shape_as_tensor");
        var scalar = NDArray.Zeros(dtype);
        if (value != 0) Fill(scalar, value);
        return FillOp.Create(shapeTensor, ConstOp.Create(scalar, "Const", graph), scope.ScopeName);
    }

    private static void Fill(NDArray array, float value)
    {
        switch (array.DType)
        {
            case DType.Float: array.Floats.Fill(value); break;
            case DType.Int32: array.Ints.Fill((int)value); break;
            case DType.Int64: array.Longs.Fill((long)value); break;
            case DType.Bool: array.Bools.Fill(value != 0); break;
            default: throw new NotSupportedException($"Cannot fill {array.DType.TfName()} with {value}.");
        }
    }

    /// <summary>
    /// array_ops.zeros_like(x) with TF's optimize=True: zeros of x's static shape named "zeros_like" when the shape
    /// is fully defined, else the ZerosLike op.
    /// </summary>
    public static Tensor ZerosLike(Tensor x, string name = "zeros_like")
    {
        if (!x.Shape.IsFullyDefined) return ZerosLikeOp.Create(x, name);
        using var scope = x.Graph.NameScope(name);
        return Zeros(x.Graph, x.Shape, x.DType, scope.ScopeName);
    }

    /// <summary>math_ops.to_int32: math_ops.cast named "ToInt32" (a no-op, but it takes the name, when already int32).</summary>
    public static Tensor ToInt32(Tensor x, string name = "ToInt32") => CastOp.CastIfNeeded(x, DType.Int32, name);
}
