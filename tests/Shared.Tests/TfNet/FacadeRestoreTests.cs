using Tensorflow;
using Tensorflow.NumPy;
using TfMnist.Tests.Checkpoint;
using TfMnist.Tests.Data;
using static Tensorflow.Binding;

namespace TfMnist.Tests.TfNet;

/// <summary>nn_predict in TensorFlow.NET's spelling, on checkpoints real TensorFlow wrote (TF 1.8 with Adam slots, TF 1.15).</summary>
[Collection(typeof(RealMnistCollection))]
public sealed class FacadeRestoreTests
{
    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115, "Placeholder_4:0", "Softmax_2:0", 9165)]
    [InlineData(ReferenceCheckpoints.Tf18, "model/x:0", "model/ybar:0", 9222)]
    public async Task ImportMetaGraphRestoreAndArgmaxByTensorName(string name, string input, string output, int expectedCorrect)
    {
        string dir = ReferenceCheckpoints.Directory(name);
        var mnist = await MnistModelLoader.LoadAsync(RepoData.MnistDirOrSkip(), oneHot: false);
        using var graph = tf.Graph().as_default();
        var saver = tf.train.import_meta_graph(Path.Combine(dir, "mnist.meta"))!;
        using var sess = tf.Session(graph);
        saver.restore(sess, tf.train.latest_checkpoint(dir)!);
        var x = graph.get_tensor_by_name(input);
        var prediction = tf.argmax(graph.get_tensor_by_name(output), 1);
        var predicted = sess.run(prediction, (x, mnist.Test.Data)).ToArray<long>();
        var labels = mnist.Test.Labels.ToArray<long>();
        Assert.Equal(expectedCorrect, predicted.Zip(labels).Count(p => p.First == p.Second));
    }
}
