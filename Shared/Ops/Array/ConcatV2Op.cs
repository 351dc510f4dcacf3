using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>ConcatV2 (tf.concat): N tensors joined along an existing axis (the last input, an int32 scalar).</summary>
public sealed class ConcatV2Op : OpDefinition
{
    public override string Type => "ConcatV2";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        int n = op.Inputs.Count - 1;
        var values = op.Inputs.Take(n).ToArray();
        var dtype = values[0].DType;
        foreach (var v in values)
            if (v.DType != dtype)
                throw ShapeError(op, $"'{v.Name}' is {v.DType.TfName()} but '{values[0].Name}' is {dtype.TfName()}");
        var known = values.FirstOrDefault(v => v.Shape.IsKnownRank);
        if (known is null) return [new(dtype, Shape.Unknown)];
        int rank = known.Shape.Rank;
        foreach (var v in values)
            if (v.Shape.IsKnownRank && v.Shape.Rank != rank)
                throw ShapeError(op, $"'{v.Op.Name}' has shape {v.Shape} but '{known.Op.Name}' has shape {known.Shape}: ranks differ");
        var axisValue = ConstantValue.Ints(op.Inputs[n]);
        if (axisValue is null) return [new(dtype, Shape.UnknownOfRank(rank))];
        int axis = axisValue[0] < 0 ? axisValue[0] + rank : axisValue[0];
        if (axis < 0 || axis >= rank) throw ShapeError(op, $"axis {axisValue[0]} is out of range for inputs of rank {rank}");
        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            if (d == axis)
            {
                int sum = 0;
                foreach (var v in values)
                {
                    int x = v.Shape.IsKnownRank ? v.Shape[d] : -1;
                    if (x < 0 || sum < 0) sum = -1; else sum += x;
                }
                dims[d] = sum;
                continue;
            }
            int merged = -1;
            foreach (var v in values)
            {
                int x = v.Shape.IsKnownRank ? v.Shape[d] : -1;
                if (x < 0) continue;
                if (merged >= 0 && merged != x)
                    throw ShapeError(op, $"dimension {d} of '{v.Op.Name}' {v.Shape} differs from {merged} (inputs {string.Join(", ", values.Select(t => $"'{t.Op.Name}' {t.Shape}"))})");
                merged = x;
            }
            dims[d] = merged;
        }
        return [new(dtype, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        int n = ctx.InputCount - 1;
        var first = ctx.Input(0);
        int rank = first.Rank;
        var axisInput = ctx.Input(n);
        int axis = (int)axisInput.ScalarLong();
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank)
            throw new InvalidArgumentException($"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), but got {axisInput.ScalarLong()} in '{ctx.Op.Name}'");
        Span<int> outShape = stackalloc int[rank];
        first.Shape.CopyTo(outShape);
        outShape[axis] = 0;
        for (int i = 0; i < n; i++)
        {
            var v = ctx.Input(i);
            if (v.Rank != rank)
                throw new InvalidArgumentException($"ConcatOp : Ranks of all input tensors should match in '{ctx.Op.Name}'");
            for (int d = 0; d < rank; d++)
                if (d != axis && v.Shape[d] != first.Shape[d])
                    throw new InvalidArgumentException(
                        $"ConcatOp : Dimensions of inputs should match: shape[0] = [{string.Join(",", first.Shape)}] vs. shape[{i}] = [{string.Join(",", v.Shape)}] in '{ctx.Op.Name}'");
            outShape[axis] += v.Shape[axis];
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= outShape[d];
        var output = ctx.Output(0, first.DType, outShape);
        int outRow = output.Size / Math.Max(outer, 1);
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            var v = ctx.Input(i);
            int row = v.Size / Math.Max(outer, 1);
            for (int o = 0; o < outer; o++)
                Array.Copy(v.Data, o * row, output.Data, o * outRow + offset, row);
            offset += row;
        }
    }

    // TF's _ConcatGradHelper (up to 16 inputs): non_neg_concat_dim = axis % rank(x0) ("mod");
    // the input shapes (Consts when fully defined, else one ShapeN); ConcatOffset; then one Slice
    // of the gradient per input. Two inputs (a single value) just pass the gradient through.
    public override GradientFunction Gradient => (op, grads) =>
    {
        int n = op.Inputs.Count - 1;
        var grad = grads[0]!;
        var result = new Tensor?[n + 1];
        if (n == 1) { result[0] = grad; return result; }
        var values = op.Inputs.Take(n).ToArray();
        var concatDim = op.Inputs[n];
        var nonNegDim = FloorModOp.Create(concatDim, PyArrayOps.Rank(values[0]), "mod");
        Tensor[] sizes;
        if (values.All(v => v.Shape.IsFullyDefined)) sizes = values.Select(v => PyArrayOps.Shape(v)).ToArray();
        else
        {
            // TF's _ExtractInputShapes stops at the first non-constant shape, then uses ShapeN.
            foreach (var v in values)
            {
                PyArrayOps.Shape(v);
                if (!v.Shape.IsFullyDefined) break;
            }
            sizes = ShapeNOp.Create(values);
        }
        if (sizes.Length > 16)
            throw new NotSupportedException($"The gradient of '{op.Name}' (ConcatV2) with more than 16 inputs needs Split, which this engine lacks.");
        var offsets = ConcatOffsetOp.Create(nonNegDim, sizes);
        for (int i = 0; i < n; i++) result[i] = SliceOp.Create(grad, offsets[i], sizes[i]);
        return result;
    };

    /// <summary>The raw ConcatV2 node: N values and an axis tensor; attrs N, T, Tidx.</summary>
    public static Tensor Create(IReadOnlyList<Tensor> values, Tensor axis, string name = "concat") =>
        OpBuilder.Create(values[0].Graph, "ConcatV2", name, [.. values, axis],
            ("N", Attr.Int(values.Count)), OpBuilder.T(values[0].DType), ("Tidx", Attr.Type(axis.DType))).Output;

    /// <summary>
    /// array_ops.concat(values, axis): one value is an Identity named "concat"; otherwise a
    /// ConcatV2 "concat" whose axis is the constant "concat/axis".
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> values, int axis, string name = "concat")
    {
        var graph = values[0].Graph;
        using var scope = graph.NameScope(name);
        if (values.Count == 1)
        {
            // TF converts the axis as "concat/concat_dim" to check it, then returns an Identity.
            ConstOp.Create(axis, "concat_dim", graph);
            return IdentityOp.Create(values[0], scope.ScopeName);
        }
        var axisTensor = ConstOp.Create(axis, "axis", graph);
        return Create(values, axisTensor, scope.ScopeName);
    }
}
