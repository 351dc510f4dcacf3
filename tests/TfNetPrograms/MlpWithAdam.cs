using System.Diagnostics;
using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfNetPrograms;

/// <summary>
/// A two-layer MLP on MNIST the TensorFlow.NET way: variable scopes, tf.compat.v1.get_variable with
/// initializers, the v1 softmax cross-entropy, AdamOptimizer with a global step, shuffled epochs
/// through Datasets.Randomize/GetNextBatch, and a checkpoint the Predictor can restore by name.
/// </summary>
public sealed class MlpWithAdam(string mnistDir)
{
    public int Epochs { get; init; } = 1;

    public int BatchSize { get; init; } = 100;

    public int Hidden { get; init; } = 200;

    public float LearningRate { get; init; } = 0.001f;

    /// <summary>Trains; returns (validation accuracy, test loss, test accuracy, global step), saving to <paramref name="savePath"/> when given.</summary>
    public (float Validation, float TestLoss, float TestAccuracy, long GlobalStep) Run(string? savePath = null)
    {
        var mnist = MnistModelLoader.LoadAsync(mnistDir, oneHot: true).Result;
        var graph = new Graph().as_default();
        tf.set_random_seed(3);
        var x = tf.placeholder(tf.float32, shape: (-1, 784), name: "X");
        var y = tf.placeholder(tf.float32, shape: (-1, 10), name: "Y");
        var fc1 = fc_layer(x, Hidden, "FC1", use_relu: true);
        var output_logits = fc_layer(fc1, 10, "OUT", use_relu: false);
        var probabilities = tf.nn.softmax(output_logits, name: "probabilities");

        var loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels: y, logits: output_logits), name: "loss");
        var global_step = tf.Variable(0L, trainable: false, name: "global_step");
        var optimizer = tf.train.AdamOptimizer(learning_rate: LearningRate).minimize(loss, global_step: global_step);
        var correct_prediction = tf.equal(tf.math.argmax(output_logits, 1), tf.math.argmax(y, 1), name: "correct_pred");
        var accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name: "accuracy");
        var saver = tf.train.Saver();

        using var sess = tf.Session(graph);
        sess.run(tf.global_variables_initializer());
        int iterations = (int)mnist.Train.Labels.shape[0] / BatchSize;
        float validation = 0;
        foreach (var epoch in range(Epochs))
        {
            var (x_train, y_train) = mnist.Randomize(mnist.Train.Data, mnist.Train.Labels);
            foreach (var iteration in range(iterations))
            {
                var (x_batch, y_batch) = mnist.GetNextBatch(x_train, y_train, iteration * BatchSize, (iteration + 1) * BatchSize);
                sess.run(optimizer, (x, x_batch), (y, y_batch));
            }
            validation = sess.run(accuracy, (x, mnist.Validation.Data), (y, mnist.Validation.Labels));
            print($"epoch {epoch + 1}: validation accuracy {validation:P}");
        }
        var (test_loss, test_accuracy) = sess.run((loss, accuracy), (x, mnist.Test.Data), (y, mnist.Test.Labels));
        long step = sess.run(global_step.AsTensor());
        if (savePath is not null) saver.save(sess, savePath);
        Debug.Assert(probabilities.name == "probabilities:0");
        graph.exit();
        return (validation, test_loss, test_accuracy, step);
    }

    private static Tensor fc_layer(Tensor x, int num_units, string name, bool use_relu)
    {
        var in_dim = x.shape[1];
        Tensor layer = null!;
        tf_with(tf.variable_scope(name), delegate
        {
            var W = tf.compat.v1.get_variable("W", shape: (in_dim, num_units), dtype: tf.float32,
                initializer: tf.truncated_normal_initializer(stddev: 0.01f));
            var b = tf.compat.v1.get_variable("b", dtype: tf.float32, initializer: tf.constant(0f, shape: num_units));
            layer = tf.matmul(x, W.AsTensor()) + b.AsTensor();
            if (use_relu) layer = tf.nn.relu(layer);
        });
        return layer;
    }
}
