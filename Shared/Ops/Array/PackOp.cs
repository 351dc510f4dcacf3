using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Pack (tf.stack): N same-shaped tensors joined along a new axis.</summary>
public sealed class PackOp : OpDefinition
{
    public override string Type => "Pack";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        int n = op.Inputs.Count;
        var first = op.Inputs[0];
        var shape = first.Shape;
        foreach (var input in op.Inputs)
        {
            if (input.DType != first.DType)
                throw ShapeError(op, $"'{input.Name}' is {input.DType.TfName()} but '{first.Name}' is {first.DType.TfName()}");
            if (!shape.IsCompatibleWith(input.Shape))
                throw ShapeError(op, $"shapes of all inputs must match: '{first.Op.Name}' has {first.Shape} and '{input.Op.Name}' has {input.Shape}");
            shape = shape.MergeWith(input.Shape);
        }
        if (!shape.IsKnownRank) return [new(first.DType, Shape.Unknown)];
        int axis = NormalizeAxis(op, shape.Rank);
        var dims = shape.ToArray().ToList();
        dims.Insert(axis, n);
        return [new(first.DType, new Shape(dims.ToArray()))];
    }

    private static int NormalizeAxis(Operation op, int rank)
    {
        int axis = (int)op.Attrs.GetInt("axis", 0);
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank)
            throw ShapeError(op, $"axis {axis} is out of range [{-rank - 1}, {rank}] for inputs of rank {rank}");
        return a;
    }

    public override void Compute(KernelContext ctx)
    {
        var first = ctx.Input(0);
        int n = ctx.InputCount, rank = first.Rank;
        int axis = (int)ctx.Op.Attrs.GetInt("axis", 0);
        if (axis < 0) axis += rank + 1;
        Span<int> outShape = stackalloc int[rank + 1];
        int outer = 1;
        for (int i = 0, j = 0; i <= rank; i++)
        {
            if (i == axis) { outShape[i] = n; continue; }
            outShape[i] = first.Shape[j];
            if (j < axis) outer *= first.Shape[j];
            j++;
        }
        int inner = first.Size / Math.Max(outer, 1);
        var output = ctx.Output(0, first.DType, outShape);
        for (int k = 0; k < n; k++)
        {
            var input = ctx.Input(k);
            if (!input.ShapeEquals(first.Shape))
                throw new InvalidArgumentException(
                    $"Shapes of all inputs must match: values[0].shape = [{string.Join(",", first.Shape)}] != values[{k}].shape = [{string.Join(",", input.Shape)}] in '{ctx.Op.Name}'");
            for (int o = 0; o < outer; o++)
                Array.Copy(input.Data, o * inner, output.Data, (o * n + k) * inner, inner);
        }
    }

    // TF's _PackGrad: unstack(grad, num=N, axis=axis).
    public override GradientFunction Gradient => (op, grads) =>
        UnpackOp.Create(grads[0]!, op.Inputs.Count, (int)op.Attrs.GetInt("axis", 0));

    /// <summary>The raw Pack node (gen_array_ops.pack), with N, T and axis.</summary>
    public static Tensor Create(IReadOnlyList<Tensor> values, int axis = 0, string name = "Pack") =>
        OpBuilder.Create(values[0].Graph, "Pack", name, values,
            ("N", Attr.Int(values.Count)), OpBuilder.T(values[0].DType), ("axis", Attr.Int(axis))).Output;

    /// <summary>
    /// array_ops.stack: a Pack named "stack". Elements may be tensors or ints (Python's
    /// autopacking: an int becomes the constant "stack/&lt;index&gt;" of the tensors' dtype).
    /// </summary>
    public static Tensor Stack(IReadOnlyList<object> values, int axis = 0, string name = "stack")
    {
        var firstTensor = values.OfType<Tensor>().FirstOrDefault()
            ?? throw new ArgumentException("stack needs at least one tensor (a list of ints is a constant).");
        var graph = firstTensor.Graph;
        using var scope = graph.NameScope(name);
        var tensors = new Tensor[values.Count];
        for (int i = 0; i < values.Count; i++)
            tensors[i] = values[i] switch
            {
                Tensor t => t,
                int v => ConstOp.Scalar(graph, v, firstTensor.DType, i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"stack element {i} must be a Tensor or an int."),
            };
        return Create(tensors, axis, scope.ScopeName);
    }
}
