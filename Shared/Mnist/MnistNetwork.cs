using Tensorflow;
using static Tensorflow.Binding;

namespace TfMnist.Mnist;

/// <summary>The original's constants that shape the graph (nn_train.py's upper-case globals).</summary>
public sealed record MnistHyperParameters(int HiddenUnits = 100, float LearningRate = 0.04f, bool UseDropout = true);

/// <summary>
/// nn_train.py's graph, built line for line in TensorFlow.NET's spelling of the TF1 API, in the same
/// name scopes, so node names, summary tags and the checkpoint's variable names match the Python original.
/// </summary>
public sealed class MnistNetwork
{
    private MnistNetwork() { }

    public required Tensor InputData { get; init; }
    public required Tensor InputLabel { get; init; }
    public Tensor? KeepProb { get; init; }
    public required Tensor Logits { get; init; }
    public required Tensor CrossEntropy { get; init; }
    public required Operation TrainStep { get; init; }
    public required Tensor Accuracy { get; init; }
    public required Tensor Merged { get; init; }

    /// <summary>Builds the network into the default graph (`tf.get_default_graph()`).</summary>
    public static MnistNetwork Build(MnistHyperParameters hp)
    {
        Tensor x, xRounded, y_;
        using (tf.name_scope("input"))
        {
            x = tf.placeholder(tf.float32, (-1, 784), name: "inputData");
            // The page posts 0/1 cells, so training sees binarised pixels too.
            xRounded = tf.round(x);
            y_ = tf.placeholder(tf.float32, (-1, 10), name: "inputLabel");
        }

        using (tf.name_scope("input_reshape"))
        {
            var image_shaped_input = tf.reshape(xRounded, (-1, 28, 28, 1));
            tf.summary.image("input", image_shaped_input, 10);
        }

        var hidden1 = CreateLayer(xRounded, 784, hp.HiddenUnits, "layerHidden1", t => tf.nn.relu(t, name: "activation"));

        Tensor? keep_prob = null;
        var outputInput = hidden1;
        if (hp.UseDropout)
        {
            using (tf.name_scope("dropout"))
            {
                keep_prob = tf.placeholder(tf.float32, name: "keep_prob");
                tf.summary.scalar("dropout_keep_probability", keep_prob);
                outputInput = tf.nn.dropout(hidden1, keep_prob);
            }
        }

        var y = CreateLayer(outputInput, hp.HiddenUnits, 10, "layerOutput", t => tf.identity(t, name: "activation"));

        Tensor cross_entropy;
        using (tf.name_scope("loss"))
        {
            var diff = tf.nn.softmax_cross_entropy_with_logits_v2(labels: y_, logits: y);
            using (tf.name_scope("total"))
                cross_entropy = tf.reduce_mean(diff);
        }
        tf.summary.scalar("loss", cross_entropy);

        Operation train_step;
        using (tf.name_scope("train"))
            train_step = tf.train.GradientDescentOptimizer(hp.LearningRate).minimize(cross_entropy);

        Tensor accuracy;
        using (tf.name_scope("accuracy"))
        {
            Tensor correct_prediction;
            using (tf.name_scope("correct_prediction"))
                correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1));
            using (tf.name_scope("accuracy"))
                accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name: "rate");
        }
        tf.summary.scalar("accuracy", accuracy * 100f);

        return new MnistNetwork
        {
            InputData = x,
            InputLabel = y_,
            KeepProb = keep_prob,
            Logits = y,
            CrossEntropy = cross_entropy,
            TrainStep = train_step,
            Accuracy = accuracy,
            Merged = tf.summary.merge_all() ?? throw new InvalidOperationException("The network defines no summaries."),
        };
    }

    /// <summary>create_nn_layer: weights, biases, linear_compute (+ histogram), activation (+ histogram).</summary>
    private static Tensor CreateLayer(Tensor input_tensor, int input_dim, int output_dim, string layer_name, Func<Tensor, Tensor> act)
    {
        using var layer = tf.name_scope(layer_name);
        RefVariable weights, biases;
        using (tf.name_scope("weights"))
        {
            weights = tf.Variable(tf.random_normal((input_dim, output_dim), stddev: 0.01f));
            VariableSummaries(weights);
        }
        using (tf.name_scope("biases"))
        {
            biases = tf.Variable(tf.constant(0.1f, shape: output_dim));
            VariableSummaries(biases);
        }
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

    /// <summary>variable_summaries: mean, stddev, max, min scalars and a histogram, under "summaries".</summary>
    private static void VariableSummaries(Tensor var)
    {
        using var scope = tf.name_scope("summaries");
        var mean = tf.reduce_mean(var);
        tf.summary.scalar("mean", mean);
        Tensor stddev;
        using (tf.name_scope("stddev"))
            stddev = tf.sqrt(tf.reduce_mean(tf.square(var - mean)));
        tf.summary.scalar("stddev", stddev);
        tf.summary.scalar("max", tf.reduce_max(var));
        tf.summary.scalar("min", tf.reduce_min(var));
        tf.summary.histogram("histogram", var);
    }
}
