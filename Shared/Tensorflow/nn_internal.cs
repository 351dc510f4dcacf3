#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
#pragma warning disable CS8981
using TfMnist.Core;
using TfMnist.Ops;

namespace Tensorflow;

public sealed partial class tensorflow
{
    /// <summary>tf.nn: activations, dropout, cross-entropies.</summary>
    public nn_internal nn { get; } = new();
}

/// <summary>tf.nn, as TF 1.x builds each function.</summary>
public sealed class nn_internal
{
    public Tensor relu(Tensor features, string? name = null) => ReluOp.Create(features, name ?? "Relu");

    public Tensor sigmoid(Tensor x, string? name = null) => Binding.tf.sigmoid(x, name);

    public Tensor tanh(Tensor x, string? name = null) => Binding.tf.tanh(x, name);

    public Tensor softmax(Tensor logits, int axis = -1, string? name = null) => SoftmaxOp.Create(logits, name ?? "Softmax");

    public Tensor log_softmax(Tensor logits, int axis = -1, string? name = null) => LogSoftmaxOp.Create(logits, name ?? "LogSoftmax");

    public Tensor bias_add(Tensor value, Tensor bias, string? data_format = null, string? name = null) =>
        BiasAddOp.Create(value, bias, name ?? "BiasAdd");

    /// <summary>
    /// tf.nn.dropout(x, keep_prob): kept elements scaled by 1/keep_prob. TF 2's `rate` (the drop
    /// probability) is accepted too, as keep_prob = 1 - rate.
    /// </summary>
    public Tensor dropout(Tensor x, Tensor? keep_prob = null, Tensor? noise_shape = null, int? seed = null, string? name = null, float? rate = null)
    {
        if (noise_shape is not null) throw new NotSupportedByEngineException("tf.nn.dropout's noise_shape");
        if ((keep_prob is null) == (rate is null)) throw new ValueError("tf.nn.dropout takes exactly one of keep_prob and rate.");
        var keep = keep_prob ?? Binding.tf.constant(1f - rate!.Value, name: "keep_prob");
        return Dropout.Create(x, keep, seed, name ?? "dropout");
    }

    public Tensor dropout(Tensor x, float keep_prob, int? seed = null, string? name = null) =>
        dropout(x, Binding.tf.constant(keep_prob, name: "keep_prob"), null, seed, name);

    /// <summary>TF 1.x's v1 function: v2 with the labels behind a stop_gradient (labels get no gradient).</summary>
    public Tensor softmax_cross_entropy_with_logits(Tensor labels, Tensor logits, int dim = -1, string? name = null) =>
        SoftmaxCrossEntropy.WithLogits(labels, logits, name ?? "softmax_cross_entropy_with_logits_sg");

    public Tensor softmax_cross_entropy_with_logits_v2(Tensor labels, Tensor logits, int axis = -1, string? name = null) =>
        SoftmaxCrossEntropy.WithLogitsV2(labels, logits, name ?? "softmax_cross_entropy_with_logits");

    /// <summary>max(x, 0) - x * z + log(1 + exp(-|x|)), the numerically stable logistic loss.</summary>
    public Tensor sigmoid_cross_entropy_with_logits(Tensor labels, Tensor logits, string? name = null) =>
        SigmoidCrossEntropy.WithLogits(labels, logits, name ?? "logistic_loss");
}
