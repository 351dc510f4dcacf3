using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

public class SummaryOpsTests
{
    private static Proto.Summary Parse(NDArray value) => Proto.Summary.Parser.ParseFrom(value.Strings[0]);

    [Fact]
    public void ScalarHistogramAndImageSummariesCarryTf1TagsAndValues()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        Tensor x;
        using (tf.name_scope("loss")) x = tf.placeholder(tf.float32, new Shape(2, 2), name: "x");
        var scalar = tf.summary.scalar("loss", tf.reduce_mean(x));           // scope "loss" is taken
        var histogram = tf.summary.histogram("values", x);
        var image = tf.summary.image("img", tf.reshape(x, [1, 2, 2, 1]), 1);
        var merged = tf.summary.merge_all()!;
        Assert.Equal("loss_1", scalar.op.name);
        Assert.Equal("Merge/MergeSummary", merged.op.name);

        using var session = new Session(graph);
        var feed = new FeedItem(x, new float[,] { { 1, 2 }, { 3, 6 } });
        var s = Parse(session.Run(scalar, feed)!);
        Assert.Equal(("loss_1", 3f), (s.Value.Single().Tag, s.Value.Single().SimpleValue));

        var h = Parse(session.Run(histogram, feed)!).Value.Single();
        Assert.Equal("values", h.Tag);
        Assert.Equal((1.0, 6.0, 4.0, 12.0, 50.0), (h.Histo.Min, h.Histo.Max, h.Histo.Num, h.Histo.Sum, h.Histo.SumSquares));
        Assert.Equal(4.0, h.Histo.Bucket.Sum());

        var img = Parse(session.Run(image, feed)!).Value.Single();
        Assert.Equal("img/image", img.Tag);
        Assert.Equal((2, 2, 1), (img.Image.Height, img.Image.Width, img.Image.Colorspace));

        var all = Parse(session.Run(merged, feed)!);
        Assert.Equal(["loss_1", "values", "img/image"], all.Value.Select(v => v.Tag));
    }

    [Fact]
    public void MergeRefusesADuplicateTagNamingIt()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, Shape.Scalar, name: "x");
        var a = tf.summary.scalar("a", x);
        var merged = tf.summary.merge([a, a]);
        using var session = new Session(graph);
        var error = Assert.Throws<InvalidArgumentException>(() => session.Run(merged, (x, 1f)));
        Assert.Contains("Duplicate tag a", error.Message);
    }

    [Fact]
    public void HistogramOfNaNNamesTheTag()
    {
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var h = tf.summary.histogram("weights", x);
        using var session = new Session(graph);
        var error = Assert.ThrowsAny<Exception>(() => session.Run(h, (x, new[] { 1f, float.NaN })));
        Assert.Contains("weights", error.Message);
    }
}
