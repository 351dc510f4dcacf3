#pragma warning disable CS8981
#pragma warning disable IDE1006
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Api;

public static partial class tf
{
    public static class nn
    {
        public static Tensor relu(Tensor features, string name = "Relu") => ReluOp.Create(features, name);
        public static Tensor softmax(Tensor logits, string name = "Softmax") => SoftmaxOp.Create(logits, name);
        public static Tensor log_softmax(Tensor logits, string name = "LogSoftmax") => LogSoftmaxOp.Create(logits, name);
        public static Tensor bias_add(Tensor value, Tensor bias, string name = "BiasAdd") => BiasAddOp.Create(value, bias, name);

        public static Tensor dropout(Tensor x, Tensor keep_prob, int? seed = null, string name = "dropout") =>
            Dropout.Create(x, keep_prob, seed, name);

        public static Tensor softmax_cross_entropy_with_logits_v2(Tensor labels, Tensor logits,
            string name = "softmax_cross_entropy_with_logits") =>
            SoftmaxCrossEntropy.WithLogitsV2(labels, logits, name);
    }
}
