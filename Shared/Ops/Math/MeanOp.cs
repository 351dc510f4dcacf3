using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Mean over axes (reduce_mean); integer means divide with truncation, as TF's do.</summary>
public sealed class MeanOp : ReductionOp
{
    public override string Type => "Mean";

    protected override void Reduce(KernelContext ctx, NDArray input, ReadOnlySpan<bool> mask, NDArray output)
    {
        int count = output.Size == 0 ? 0 : input.Size / output.Size;
        switch (input.DType)
        {
            case DType.Float:
                Reduction.Reduce<float, SumReducer<float>>(input.Floats, input.Shape, mask, output.Floats);
                TensorPrimitives.Divide(output.Floats, (float)count, output.Floats);
                break;
            case DType.Int32:
                Reduction.Reduce<int, SumReducer<int>>(input.Ints, input.Shape, mask, output.Ints);
                if (count > 0) TensorPrimitives.Divide<int>(output.Ints, count, output.Ints);
                break;
            case DType.Int64:
                Reduction.Reduce<long, SumReducer<long>>(input.Longs, input.Shape, mask, output.Longs);
                if (count > 0) TensorPrimitives.Divide<long>(output.Longs, count, output.Longs);
                break;
            default: throw Unsupported(ctx, input);
        }
    }

    // TF's _MeanGrad: _SumGrad, then divide by the number of elements averaged. With both shapes
    // fully defined that is a constant ("Const"); otherwise Prod(Shape(x)) // Maximum(Prod(Shape(y)), 1)
    // ("Prod", "Prod_1", "Maximum", "floordiv"), cast to the gradient's dtype ("Cast"). Then "truediv".
    public override GradientFunction Gradient => (op, grads) =>
    {
        var sumGrad = SumGradient.Build(op, grads)[0]!;
        var input = op.Inputs[0];
        var output = op.Outputs[0];
        var graph = input.Graph;
        Tensor factor;
        if (input.Shape.IsFullyDefined && output.Shape.IsFullyDefined)
        {
            long inputSize = input.Shape.NumElements;
            long outputSize = output.Shape.NumElements;
            factor = ConstOp.Scalar(graph, inputSize / Math.Max(outputSize, 1), sumGrad.DType);
        }
        else
        {
            var inputShape = PyArrayOps.Shape(input);
            var outputShape = PyArrayOps.Shape(output);
            factor = ReductionShapes.SafeShapeDiv(ProdOp.ReduceProd(inputShape), ProdOp.ReduceProd(outputShape));
        }
        return [RealDivOp.Create(sumGrad, CastOp.CastIfNeeded(factor, sumGrad.DType), "truediv"), null];
    };

    public static Tensor Create(Tensor x, Tensor axes, bool keepDims = false, string name = "Mean") =>
        Build("Mean", x, axes, keepDims, name);

    public static Tensor Create(Tensor x, int[] axes, bool keepDims = false, string name = "Mean") =>
        Build("Mean", x, axes, keepDims, name);
}
