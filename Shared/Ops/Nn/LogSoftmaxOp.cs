using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>LogSoftmax over the last axis: x - max - log(sum(exp(x - max))).</summary>
public sealed class LogSoftmaxOp : OpDefinition
{
    public override string Type => "LogSoftmax";

    public override OutputSpec[] InferOutputs(Operation op) => [SoftmaxOp.LastAxisOutput(op)];

    public override void Compute(KernelContext ctx)
    {
        if (KernelPolicy.Reference)
        {
            // Sequential sum and scalar exp: the vector ones depend on the vector width.
            SoftmaxOp.ForEachRow(ctx, static (row, outRow) => Row<SequentialMath>(row, outRow));
            return;
        }
        KernelProbe.Took(KernelProbe.Path.VectorSum);
        SoftmaxOp.ForEachRow(ctx, static (row, outRow) => Row<VectorMath>(row, outRow));
    }

    private static void Row<TMath>(ReadOnlySpan<float> row, Span<float> outRow) where TMath : IRowMath
    {
        float max = TMath.Max(row);
        // The output row is scratch for exp(x - max); then (x - max) - log(sum), in that order so
        // large logits keep their precision.
        TensorPrimitives.Subtract(row, max, outRow);
        TMath.Exp(outRow, outRow);
        float logSum = MathF.Log(TMath.Sum(outRow));
        TensorPrimitives.Subtract(row, max, outRow);
        TensorPrimitives.Subtract(outRow, logSum, outRow);
    }

    // TF 1.9's _LogSoftmaxGrad: grad - reduce_sum(grad, 1, keepdims=True) * exp(op.outputs[0]).
    public override GradientFunction Gradient => (op, grads) =>
    {
        var grad = grads[0]!;
        var graph = grad.Graph;
        var softmax = ExpOp.Create(op.Outputs[0]);
        Tensor sum;
        using (var scope = graph.NameScope("Sum"))
        {
            // reduce_sum(grad, 1): the axis is the Python int 1, so a scalar "Sum/reduction_indices".
            var axis = ConstOp.Create(1, "reduction_indices", graph);
            sum = SumOp.Create(grad, axis, keepDims: true, name: scope.ScopeName);
        }
        return [grad - sum * softmax];
    };

    public static Tensor Create(Tensor logits, string name = "LogSoftmax") =>
        OpBuilder.Create(logits.Graph, "LogSoftmax", name, [logits], OpBuilder.T(logits.DType)).Output;
}
