using System;
using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfNetPrograms;

/// <summary>
/// XOR with one hidden tanh layer, trained by plain gradient descent with a global step: the
/// smallest TF1 graph-mode program (placeholders, variables, minimize, tuple runs).
/// </summary>
public sealed class XorNetwork
{
    public int Steps { get; init; } = 2000;

    /// <summary>Trains and returns (final loss, predictions rounded to 0/1 for the four inputs, global step).</summary>
    public (float Loss, int[] Predictions, long GlobalStep) Run()
    {
        using var graph = tf.Graph().as_default();
        tf.set_random_seed(7);
        var features = tf.placeholder(tf.float32, (4, 2), name: "features");
        var labels = tf.placeholder(tf.float32, (4, 1), name: "labels");

        var hidden_weights = tf.Variable(tf.truncated_normal((2, 8), stddev: 1f / (float)Math.Sqrt(2)), name: "hidden_weights");
        var hidden_biases = tf.Variable(tf.zeros(8), name: "hidden_biases");
        var hidden = tf.tanh(tf.matmul(features, hidden_weights) + hidden_biases);
        var output_weights = tf.Variable(tf.truncated_normal((8, 1), stddev: 1f / (float)Math.Sqrt(8)), name: "output_weights");
        var logits = tf.matmul(hidden, output_weights);

        var loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels: labels, logits: logits), name: "loss");
        var global_step = tf.Variable(0, trainable: false, name: "global_step");
        var train_op = tf.train.GradientDescentOptimizer(0.5f).minimize(loss, global_step: global_step);
        var prediction = tf.cast(logits > 0f, tf.int32);

        NDArray x = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        NDArray y = new float[,] { { 0 }, { 1 }, { 1 }, { 0 } };
        using var sess = tf.Session(graph);
        sess.run(tf.global_variables_initializer());
        float loss_value = 0;
        int step = 0;
        foreach (var i in range(Steps))
            (_, step, loss_value) = sess.run((train_op, global_step, loss), (features, x), (labels, y));
        var predicted = sess.run(prediction, (features, x));
        return (loss_value, predicted.ToArray<int>(), step);
    }
}
