using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfNetPrograms;

/// <summary>
/// nn_train.py's network written as a TensorFlow.NET user would: 784 -> 100 ReLU -> dropout -> 10,
/// softmax cross-entropy, SGD at 0.04, next_batch(100), a summary writer, and a Saver.
/// </summary>
public sealed class TutorialNetwork(string mnistDir, string workDir)
{
    public int Steps { get; init; } = 1000;

    /// <summary>Trains, saves, and returns (test accuracy, the checkpoint prefix written).</summary>
    public (float Accuracy, string Checkpoint) Run()
    {
        var mnist = MnistModelLoader.LoadAsync(mnistDir, oneHot: true).Result;
        var graph = tf.Graph().as_default();
        tf.set_random_seed(1);
        Tensor x, y_, keep_prob;
        using (tf.name_scope("input"))
        {
            x = tf.placeholder(tf.float32, (-1, 784), name: "inputData");
            y_ = tf.placeholder(tf.float32, (-1, 10), name: "inputLabel");
        }
        var hidden1 = nn_layer(tf.round(x), 784, 100, "layerHidden1", t => tf.nn.relu(t));
        using (tf.name_scope("dropout"))
        {
            keep_prob = tf.placeholder(tf.float32, name: "keep_prob");
            tf.summary.scalar("dropout_keep_probability", keep_prob);
        }
        var dropped = tf.nn.dropout(hidden1, keep_prob);
        var y = nn_layer(dropped, 100, 10, "layerOutput", t => tf.identity(t));

        Tensor cross_entropy;
        using (tf.name_scope("loss"))
            cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels: y_, logits: y));
        tf.summary.scalar("loss", cross_entropy);
        Operation train_step;
        using (tf.name_scope("train"))
            train_step = tf.train.GradientDescentOptimizer(0.04f).minimize(cross_entropy);
        Tensor accuracy;
        using (tf.name_scope("accuracy"))
            accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)), tf.float32));
        tf.summary.scalar("accuracy", accuracy);
        var merged = tf.summary.merge_all()!;

        var saver = tf.train.Saver();
        using var sess = tf.Session(graph);
        using var writer = tf.summary.FileWriter(System.IO.Path.Combine(workDir, "train"), sess.graph);
        sess.run(tf.global_variables_initializer());
        foreach (var i in range(Steps))
        {
            var (xs, ys) = mnist.Train.GetNextBatch(100);
            var (summary, _) = sess.run((merged, train_step), (x, xs), (y_, ys), (keep_prob, 0.9f));
            writer.add_summary(summary, i);
        }
        float test_accuracy = sess.run(accuracy, (x, mnist.Test.Data), (y_, mnist.Test.Labels), (keep_prob, 1f));
        string path = saver.save(sess, System.IO.Path.Combine(workDir, "model", "mnist"), global_step: Steps);
        graph.exit();
        return (test_accuracy, path);
    }

    private static Tensor nn_layer(Tensor input_tensor, int input_dim, int output_dim, string layer_name, System.Func<Tensor, Tensor> act)
    {
        using var scope = tf.name_scope(layer_name);
        RefVariable weights, biases;
        using (tf.name_scope("weights"))
            weights = tf.Variable(tf.random_normal((input_dim, output_dim), stddev: 0.01f));
        using (tf.name_scope("biases"))
            biases = tf.Variable(tf.constant(0.1f, shape: output_dim));
        Tensor preactivate;
        using (tf.name_scope("linear_compute"))
        {
            preactivate = tf.matmul(input_tensor, weights) + biases;
            tf.summary.histogram("linear", preactivate);
        }
        var activations = act(preactivate);
        tf.summary.histogram("activations", activations);
        return activations;
    }
}
