using System.Threading.Tasks;
using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfNetPrograms;

/// <summary>
/// Softmax regression on MNIST: tf.Variable(tf.zeros(...)), a hand-written cross-entropy with
/// tf.log and reduction_indices, GradientDescentOptimizer, and `acc.eval(sess, feeds)`.
/// </summary>
public sealed class LogisticRegression(string mnistDir)
{
    public int Epochs { get; init; } = 1;

    public int BatchSize { get; init; } = 100;

    /// <summary>Trains and returns (average cost of the last epoch, test accuracy).</summary>
    public async Task<(float Cost, float Accuracy)> RunAsync()
    {
        var mnist = await MnistModelLoader.LoadAsync(mnistDir, oneHot: true);
        using var graph = tf.Graph().as_default();
        var x = tf.placeholder(tf.float32, (-1, 784));
        var y = tf.placeholder(tf.float32, (-1, 10));
        var W = tf.Variable(tf.zeros((784, 10)));
        var b = tf.Variable(tf.zeros(10));

        var pred = tf.nn.softmax(tf.matmul(x, W) + b);
        var cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices: 1));
        var optimizer = tf.train.GradientDescentOptimizer(0.5f).minimize(cost);

        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        float avg_cost = 0;
        var total_batch = mnist.Train.NumOfExamples / BatchSize;
        foreach (var epoch in range(Epochs))
        {
            avg_cost = 0;
            foreach (var i in range(total_batch))
            {
                var (batch_xs, batch_ys) = mnist.GetNextBatch(mnist.Train.Data, mnist.Train.Labels, i * BatchSize, (i + 1) * BatchSize);
                (_, float c) = sess.run((optimizer, cost), (x, batch_xs), (y, batch_ys));
                avg_cost += c / total_batch;
            }
        }

        var correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1));
        var acc = tf.reduce_mean(tf.cast(correct_prediction, tf.float32));
        float accuracy = acc.eval(sess, (x, mnist.Test.Data), (y, mnist.Test.Labels));
        return (avg_cost, accuracy);
    }
}
