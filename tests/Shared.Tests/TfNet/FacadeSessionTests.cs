using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfMnist.Tests.TfNet;

/// <summary>The facade's graph, session and feed semantics, as TensorFlow.NET programs rely on them.</summary>
public sealed class FacadeSessionTests
{
    [Fact]
    public void RunTakesOneToFiveFetchesAndTupleFeedsOfAnyValueKind()
    {
        using var graph = tf.Graph().as_default();
        var x = tf.placeholder(tf.float32, (2, 2), name: "x");
        var k = tf.placeholder(tf.float32, name: "k");
        var n = tf.placeholder(tf.int32, name: "n");
        var doubled = x * 2f;
        var sum = tf.reduce_sum(x);
        var scaled = sum * k;
        var count = n + 1;
        using var sess = tf.Session(graph);
        NDArray images = new float[,] { { 1, 2 }, { 3, 4 } };
        float total = sess.run(sum, (x, images));
        Assert.Equal(10f, total);
        var (a, b) = sess.run((doubled, sum), (x, images));
        Assert.Equal([2f, 4f, 6f, 8f], a.ToArray<float>());
        Assert.Equal(10f, (float)b);
        var (c, d, e) = sess.run((doubled, scaled, count), (x, new float[,] { { 1, 1 }, { 1, 1 } }), (k, 0.5f), (n, 41));
        Assert.Equal(2f, (float)c[0][0]);
        Assert.Equal(2f, (float)d);
        Assert.Equal(42, (int)e);
        var (_, _, _, f) = sess.run((sum, doubled, sum, scaled), (x, images), (k, 3));
        Assert.Equal(30f, (float)f);
        var (_, _, _, _, g) = sess.run((sum, sum, sum, sum, count), (x, images), ("n:0", 1));
        Assert.Equal(2, (int)g);
        Assert.Equal(20f, (float)sess.run(scaled, new FeedItem(x, images), new FeedItem("k:0", 2.0)));
    }

    [Fact]
    public void AnOperationFetchRunsAndGivesNull()
    {
        using var graph = tf.Graph().as_default();
        var v = tf.Variable(1f, name: "v");
        var bump = v.assign(tf.constant(5f));
        using var sess = tf.Session(graph);
        sess.run(tf.global_variables_initializer());
        var (nothing, value) = sess.run((bump.op, v.AsTensor()));
        Assert.Null(nothing);
        Assert.Equal(5f, (float)value);
    }

    [Fact]
    public void BadFeedsAndScalarConversionsFailWithOneLine()
    {
        using var graph = tf.Graph().as_default();
        var x = tf.placeholder(tf.float32, (2), name: "x");
        using var sess = tf.Session(graph);
        var key = Assert.Throws<TypeError>(() => sess.run(x, new FeedItem(42, 1f)));
        Assert.Contains("Int32", key.Message);
        var value = Assert.Throws<TypeError>(() => sess.run(x, (x, new object())));
        Assert.Contains("'x:0'", value.Message);
        NDArray pair = new float[] { 1, 2 };
        var cast = Assert.Throws<InvalidCastException>(() => (float)pair);
        Assert.Contains("(2)", cast.Message);
    }

    [Fact]
    public void ASetRandomSeedMakesRunsRepeatAndTheDefaultGraphIsTheSameObject()
    {
        float[] Draw()
        {
            using var graph = tf.Graph().as_default();
            Assert.Same(graph, tf.get_default_graph());
            tf.set_random_seed(11);
            var r = tf.random_normal((3, 4));
            var t = tf.truncated_normal((50), stddev: 2f);
            using var sess = tf.Session(graph);
            var draws = sess.run(t).ToArray<float>();
            Assert.All(draws, v => Assert.InRange(v, -4f, 4f));
            return [.. sess.run(r).ToArray<float>(), .. draws];
        }
        Assert.Equal(Draw(), Draw());
    }

    [Fact]
    public void GraphAsDefaultNestsAndExitRestoresThePreviousGraph()
    {
        var outer = tf.Graph().as_default();
        var inner = tf.Graph().as_default();
        Assert.Same(inner, tf.get_default_graph());
        inner.exit();
        Assert.Same(outer, tf.get_default_graph());
        var c = tf.constant(1f, name: "c");
        Assert.Same(outer, c.graph);
        Assert.Equal("c:0", outer.get_tensor_by_name("c:0").name);
        Assert.Same(c.op, outer.get_operation_by_name("c"));
        outer.Dispose();
    }

    [Fact]
    public void EagerAndKerasSayInOneLineThatThisIsTheGraphApi()
    {
        var eager = Assert.Throws<NotSupportedByEngineException>(() => tf.enable_eager_execution());
        Assert.StartsWith("tf.enable_eager_execution is not supported", eager.Message);
        var keras = Assert.Throws<NotSupportedByEngineException>(() => tf.keras);
        Assert.Contains("graph-mode", keras.Message);
        Assert.DoesNotContain('\n', keras.Message);
        Assert.False(tf.executing_eagerly());
    }

    [Fact]
    public async Task MnistLoadsStaticallyAndOnAnInstanceWithSplitSizes()
    {
        string dir = Data.RepoData.MnistDirOrSkip();
        var sets = await MnistModelLoader.LoadAsync(dir, oneHot: true, trainSize: 1000, validationSize: 500, testSize: 200);
        Assert.Equal(1000, sets.Train.NumOfExamples);
        Assert.Equal([1000L, 784L], sets.Train.Data.shape.dims);
        Assert.Equal([500L, 10L], sets.Validation.Labels.shape.dims);
        Assert.Equal(200, sets.Test.NumOfExamples);
        var digits = await new MnistModelLoader().LoadAsync(dir, oneHot: false, trainSize: 10, testSize: 10);
        Assert.Equal(TF_DataType.TF_UINT8, digits.Train.Labels.dtype);
        var (x, y) = sets.GetNextBatch(sets.Train.Data, sets.Train.Labels, 10, 20);
        Assert.Equal((float)sets.Train.Data[10][300], (float)x[0][300]);
        Assert.Equal(sets.Train.Labels[19].argmax(), y[9].argmax());
        var (sx, sy) = sets.Randomize(sets.Train.Data, sets.Train.Labels);
        Assert.Equal(sets.Train.Data.ToArray<float>().Sum(), sx.ToArray<float>().Sum(), 1f);
        Assert.Equal(sets.Train.Labels.ToArray<float>().Sum(), sy.ToArray<float>().Sum());
    }
}
