using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>ArgMax: the index of the largest value along <c>dimension</c> (first one on ties), as int64 or int32.</summary>
public sealed class ArgMaxOp : OpDefinition
{
    public override string Type => "ArgMax";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var outType = op.Attrs.GetType("output_type");
        var axis = ConstantValue.Ints(op.Inputs[1]);
        if (!input.Shape.IsKnownRank) return [new(outType, Shape.Unknown)];
        int rank = input.Shape.Rank;
        if (axis is null) return [new(outType, Shape.UnknownOfRank(Math.Max(rank - 1, 0)))];
        int a = axis[0] < 0 ? axis[0] + rank : axis[0];
        if (a < 0 || a >= rank)
            throw ShapeError(op, $"dimension {axis[0]} is out of range for '{input.Name}' of rank {rank}");
        var dims = input.Shape.ToArray().Where((_, i) => i != a).ToArray();
        return [new(outType, new Shape(dims))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var axisInput = ctx.Input(1);
        int rank = input.Rank;
        int axis = (int)axisInput.ScalarLong();
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank)
            throw new InvalidArgumentException($"Expected dimension in the range [{-rank}, {rank}) in '{ctx.Op.Name}', but got {axisInput.ScalarLong()}");
        Span<int> outShape = stackalloc int[Math.Max(rank - 1, 0)];
        int outer = 1, inner = 1;
        for (int i = 0, j = 0; i < rank; i++)
        {
            if (i == axis) continue;
            outShape[j++] = input.Shape[i];
            if (i < axis) outer *= input.Shape[i]; else inner *= input.Shape[i];
        }
        int n = input.Shape[axis];
        if (n == 0) throw new InvalidArgumentException($"Reduction axis {axis} is empty in shape [{string.Join(",", input.Shape)}] ('{ctx.Op.Name}').");
        var outType = ctx.Op.Outputs[0].DType;
        var output = ctx.Output(0, outType, outShape);
        switch (input.DType)
        {
            case DType.Float when inner == 1: LastAxis(input.Floats, outer, n, output); break;
            case DType.Float: Run<float>(input.Floats, outer, n, inner, output); break;
            case DType.Int32: Run<int>(input.Ints, outer, n, inner, output); break;
            case DType.Int64: Run<long>(input.Longs, outer, n, inner, output); break;
            default: throw new NotSupportedException($"'{ctx.Op.Name}' (ArgMax) does not support {input.DType.TfName()}.");
        }
    }

    /// <summary>
    /// Over the last axis (the model's argmax over 10 classes, 10000 rows in the test-set pass):
    /// 16 rows at a time (<see cref="ArgMaxRows"/>). On one thread: that takes ~25 us for the test
    /// set, and split with ParallelSplit it took 260 us instead of 37 us on the shared two-core
    /// machine, where waking the other core waits for it to be free.
    /// </summary>
    private static void LastAxis(ReadOnlySpan<float> x, int rows, int n, NDArray output)
    {
        if (output.DType == DType.Int64) ArgMaxRows.Run(x, rows, n, output.Longs, lanePerRow: true);
        else ArgMaxRows.Run(x, rows, n, output.Ints, lanePerRow: true);
    }

    private static void Run<T>(ReadOnlySpan<T> x, int outer, int n, int inner, NDArray output)
        where T : System.Numerics.INumber<T>
    {
        bool wide = output.DType == DType.Int64;
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * n * inner, n * inner);
            for (int i = 0; i < inner; i++)
            {
                int best;
                if (inner == 1) best = TensorPrimitives.IndexOfMax(block);
                else
                {
                    best = 0;
                    T bestValue = block[i];
                    for (int k = 1; k < n; k++)
                    {
                        T v = block[k * inner + i];
                        if (v > bestValue) { bestValue = v; best = k; }
                    }
                }
                int at = o * inner + i;
                if (wide) output.Longs[at] = best; else output.Ints[at] = best;
            }
        }
    }

    /// <summary>tf.argmax(input, axis): the axis becomes the constant "ArgMax/dimension".</summary>
    public static Tensor Create(Tensor input, int axis, DType outputType = DType.Int64, string name = "ArgMax")
    {
        using var scope = input.Graph.NameScope(name);
        var dimension = ConstOp.Create(axis, "dimension", input.Graph);
        return Build(input, dimension, outputType, scope.ScopeName);
    }

    public static Tensor Create(Tensor input, Tensor dimension, DType outputType = DType.Int64, string name = "ArgMax") =>
        Build(input, dimension, outputType, name);

    private static Tensor Build(Tensor input, Tensor dimension, DType outputType, string name)
    {
        if (outputType is not (DType.Int32 or DType.Int64))
            throw new ArgumentException($"ArgMax output_type must be int32 or int64, not {outputType.TfName()}.");
        return OpBuilder.Create(input.Graph, "ArgMax", name, [input, dimension],
            OpBuilder.T(input.DType), ("Tidx", Attr.Type(dimension.DType)), ("output_type", Attr.Type(outputType))).Output;
    }
}
