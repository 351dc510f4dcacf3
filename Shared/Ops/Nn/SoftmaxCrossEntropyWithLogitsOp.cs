using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>
/// SoftmaxCrossEntropyWithLogits: for logits ("features") and labels of shape [batch, classes],
/// output 0 is the loss per example [batch], output 1 the backprop softmax(logits) - labels
/// [batch, classes]. Computed with the row max subtracted, so large logits do not overflow.
/// </summary>
public sealed class SoftmaxCrossEntropyWithLogitsOp : OpDefinition
{
    public override string Type => "SoftmaxCrossEntropyWithLogits";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (features, labels) = (op.Inputs[0], op.Inputs[1]);
        if (features.DType != labels.DType)
            throw ShapeError(op, $"logits '{features.Name}' ({features.DType.TfName()}) and labels '{labels.Name}' ({labels.DType.TfName()}) must have the same dtype");
        foreach (var t in new[] { features, labels })
            if (t.Shape.IsKnownRank && t.Shape.Rank != 2)
                throw ShapeError(op, $"'{t.Op.Name}' must be 2-D [batch, classes], got shape {t.Shape}");
        if (!features.Shape.IsCompatibleWith(labels.Shape))
            throw ShapeError(op, $"logits '{features.Op.Name}' has shape {features.Shape} but labels '{labels.Op.Name}' has shape {labels.Shape}");
        var shape = features.Shape.MergeWith(labels.Shape);
        if (!shape.IsKnownRank) shape = Shape.UnknownOfRank(2);
        return [new(features.DType, new Shape(shape[0])), new(features.DType, shape)];
    }

    public override void Compute(KernelContext ctx)
    {
        var (x, labels) = (ctx.Input(0), ctx.Input(1));
        if (x.DType != DType.Float)
            throw new NotSupportedException($"'{ctx.Op.Name}' (SoftmaxCrossEntropyWithLogits) does not support {x.DType.TfName()}.");
        if (x.Rank != 2 || !x.ShapeEquals(labels.Shape))
            throw new InvalidArgumentException(
                $"logits and labels must be same size and 2-D in '{ctx.Op.Name}': logits_size=[{string.Join(",", x.Shape)}] labels_size=[{string.Join(",", labels.Shape)}]");
        int batch = x.Shape[0], classes = x.Shape[1];
        var loss = ctx.Output(0, x.DType, [batch]);
        var backprop = ctx.Output(1, x.DType, x.Shape);
        if (classes == 0) { loss.Floats.Clear(); return; }
        // The rows run 16 at a time, lane per row, where the CPU has AVX-512 (SoftmaxCrossEntropyRows): the
        // test set's 10000 x 10 then takes ~90 us on one core. Split only far larger inputs: waking the other
        // core cost more than it saved when it was busy (330 vs 88 us measured), and in a plan it usually is.
        ParallelSplit.For(batch * classes, classes, (x.FloatArray, labels.FloatArray, loss.FloatArray, backprop.FloatArray, classes),
            static (s, start, count) => SoftmaxCrossEntropyRows.Run(s.Item1, s.Item2, s.Item3, s.Item4,
                start / s.classes, count / s.classes, s.classes, lanePerRow: true),
            minPerPart: 4 * ParallelSplit.MinParallelLength);
    }

    /// <summary>
    /// TF 1.9's _SoftmaxCrossEntropyWithLogitsGrad. d/dlogits = _BroadcastMul(grad_loss, backprop)
    /// (ExpandDims then mul), plus the second-order term when the backprop output's own gradient
    /// is not known to be zero; d/dlabels = _BroadcastMul(grad_loss, -log_softmax(logits)).
    /// </summary>
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (gradLoss, gradGrad) = (grads[0]!, grads[1]);
        var logits = op.Inputs[0];
        var grad = BroadcastMul(gradLoss, op.Outputs[1]);
        if (gradGrad is not null && !IsZero(gradGrad))
        {
            // TF writes this term as squeeze(matmul(grad_grad[:, None, :], softmax[:, :, None]), 1),
            // a batched row dot product; this engine builds the same value with
            // reduce_sum(grad_grad * softmax, [1], keepdims) (no BatchMatMul/StridedSlice/Squeeze),
            // so only this second-order branch's node names differ from TF's.
            var softmax = SoftmaxOp.Create(logits);
            var dot = SumOp.Create(gradGrad * softmax, [1], keepDims: true);
            grad += (gradGrad - dot) * softmax;
        }
        return [grad, BroadcastMul(gradLoss, -LogSoftmaxOp.Create(logits))];
    };

    /// <summary>TF's _BroadcastMul: expand_dims(vec, -1) * mat.</summary>
    private static Tensor BroadcastMul(Tensor vec, Tensor mat) => ExpandDimsOp.Create(vec, -1) * mat;

    /// <summary>TF's IsZero: a ZerosLike/Zeros op, or a constant whose values are all zero.</summary>
    private static bool IsZero(Tensor g)
    {
        if (g.Op.Type is "ZerosLike" or "Zeros") return true;
        var value = ConstantValue.Of(g);
        if (value is null) return false;
        return value.DType switch
        {
            DType.Float => !value.Floats.ContainsAnyExcept(0f),
            DType.Int32 => !value.Ints.ContainsAnyExcept(0),
            DType.Int64 => !value.Longs.ContainsAnyExcept(0L),
            _ => false,
        };
    }

    /// <summary>The raw op (TF's gen_nn_ops wrapper): returns (loss, backprop).</summary>
    public static (Tensor Loss, Tensor Backprop) Create(Tensor features, Tensor labels, string name = "SoftmaxCrossEntropyWithLogits")
    {
        var op = OpBuilder.Create(features.Graph, "SoftmaxCrossEntropyWithLogits", name, [features, labels], OpBuilder.T(features.DType));
        return (op.Outputs[0], op.Outputs[1]);
    }
}
