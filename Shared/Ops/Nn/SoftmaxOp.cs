using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Softmax over the last axis: exp(x - max) / sum(exp(x - max)).</summary>
public sealed class SoftmaxOp : OpDefinition
{
    public override string Type => "Softmax";

    public override OutputSpec[] InferOutputs(Operation op) => [LastAxisOutput(op)];

    /// <summary>Shared by Softmax and LogSoftmax: logits of rank &gt;= 1, output of the same shape.</summary>
    internal static OutputSpec LastAxisOutput(Operation op)
    {
        var logits = op.Inputs[0];
        if (logits.Shape.IsKnownRank && logits.Shape.Rank < 1)
            throw ShapeError(op, $"logits '{logits.Name}' must have rank >= 1, got shape {logits.Shape}");
        return new(logits.DType, logits.Shape);
    }

    public override void Compute(KernelContext ctx)
    {
        if (KernelPolicy.Reference)
        {
            // Sequential sum and scalar exp: the vector ones depend on the vector width.
            ForEachRow(ctx, static (row, outRow) => Row<SequentialMath>(row, outRow));
            return;
        }
        KernelProbe.Took(KernelProbe.Path.VectorSum);
        ForEachRow(ctx, static (row, outRow) => Row<VectorMath>(row, outRow));
    }

    private static void Row<TMath>(ReadOnlySpan<float> row, Span<float> outRow) where TMath : IRowMath
    {
        TensorPrimitives.Subtract(row, TMath.Max(row), outRow);
        TMath.Exp(outRow, outRow);
        TensorPrimitives.Divide(outRow, TMath.Sum(outRow), outRow);
    }

    internal delegate void RowKernel(ReadOnlySpan<float> row, Span<float> outRow);

    /// <summary>Shared by Softmax and LogSoftmax: checks the logits, then maps each last-axis row.</summary>
    internal static void ForEachRow(KernelContext ctx, RowKernel kernel)
    {
        var x = ctx.Input(0);
        if (x.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' ({ctx.Op.Type}) does not support {x.DType.TfName()}.");
        if (x.Rank < 1) throw new InvalidArgumentException($"logits must have >= 1 dimension in '{ctx.Op.Name}' ({ctx.Op.Type}), got a scalar.");
        var y = ctx.Output(0, x.DType, x.Shape);
        int classes = x.Shape[^1];
        if (classes == 0) return;
        var input = x.Floats;
        var output = y.Floats;
        for (int start = 0; start < input.Length; start += classes)
            kernel(input.Slice(start, classes), output.Slice(start, classes));
    }


    // TF 1.9's _SoftmaxGrad: (grad - reshape(reduce_sum(grad * softmax, [1]), [-1, 1])) * softmax.
    public override GradientFunction Gradient => (op, grads) =>
    {
        var softmax = op.Outputs[0];
        var grad = grads[0]!;
        var sum = SumOp.Create(grad * softmax, [1]);
        return [(grad - ReshapeOp.Create(sum, [-1, 1])) * softmax];
    };

    public static Tensor Create(Tensor logits, string name = "Softmax") =>
        OpBuilder.Create(logits.Graph, "Softmax", name, [logits], OpBuilder.T(logits.DType)).Output;
}
