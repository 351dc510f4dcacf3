using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Runtime;
using TfMnist.Summary;

namespace TfMnist.Bench;

/// <summary>
/// The summary ops of one training step and one test-set pass on their own, fed with data shaped
/// like the network's (weights, ReLU activations with about half exact zeros, binary input
/// images), through the Session as the Trainer runs them; then each histogram size alone, and
/// the PNG size of an input image.
/// </summary>
internal static class SummaryBench
{
    // (tag, elements) of the histograms of a training step, rows scaled for the test set.
    private static readonly (string Name, int Rows, int Columns, Kind Kind)[] s_histograms =
    [
        ("W1", 784, 100, Kind.Weight), ("b1", 1, 100, Kind.Weight), ("linear1", -1, 100, Kind.Normal),
        ("activations1", -1, 100, Kind.Relu), ("W2", 100, 10, Kind.Weight), ("b2", 1, 10, Kind.Weight),
        ("linear2", -1, 10, Kind.Normal), ("activations2", -1, 10, Kind.Normal),
    ];

    private enum Kind { Weight, Normal, Relu }

    public static void Run(int samples)
    {
        foreach (int batch in new[] { 100, 10_000 })
        {
            var (session, all, singles, feeds, values) = Build(batch);
            using (session)
            {
                var callable = session.MakeCallable([all], feeds);
                // Past tiered JIT (tier 1 waits for a quiet 100 ms): warm up by time, not by count.
                for (long start = Environment.TickCount64; Environment.TickCount64 - start < 1500;) callable.Run(values);
                int n = batch == 100 ? samples : Math.Max(10, samples / 10), warmup = batch == 100 ? 200 : 20;
                var full = Stats.Sample(n, () => callable.Run(values), warmup);
                Console.Write($"SUMMARIES batch={batch} merged_ms={Stats.Median(full):F3}");
                foreach (var (name, tensor) in singles)
                {
                    var one = session.MakeCallable([tensor], feeds);
                    var t = Stats.Sample(n, () => one.Run(values), warmup);
                    Console.Write($" {name}_us={Stats.Median(t) * 1000:F1}");
                }
                Console.WriteLine();
            }
        }
        var images = BinaryImages(new Random(5), 10);
        int pngBytes = ImageSummary.Build("input", images, 10, 28, 28, 1, 10).Sum(v => v.Image.EncodedImageString.Length);
        var grey = new float[10 * 784];
        var rng = new Random(6);
        for (int i = 0; i < grey.Length; i++) grey[i] = rng.Next(4) == 0 ? (float)rng.NextDouble() : 0f;
        int greyBytes = ImageSummary.Build("input", grey, 10, 28, 28, 1, 10).Sum(v => v.Image.EncodedImageString.Length);
        Console.WriteLine($"PNG binary_28x28_bytes={pngBytes / 10.0:F1} grey_28x28_bytes={greyBytes / 10.0:F1}");
    }

    private static (Session, Tensor, List<(string, Tensor)>, Tensor[], NDArray[]) Build(int batch)
    {
        var rng = new Random(1);
        var graph = new Graph();
        var feeds = new List<Tensor>();
        var values = new List<NDArray>();
        var singles = new List<(string, Tensor)>();
        using (graph.AsDefault())
        {
            var input = tf.placeholder(tf.float32, [-1, 28, 28, 1], "images");
            feeds.Add(input);
            values.Add(new NDArray(DType.Float, [batch, 28, 28, 1], BinaryImages(rng, batch)));
            singles.Add(("image10", tf.summary.image("input", input, 10)));
            foreach (var (name, rows, columns, kind) in s_histograms)
            {
                int r = rows < 0 ? batch : rows;
                var p = tf.placeholder(tf.float32, [r, columns], name);
                feeds.Add(p);
                values.Add(new NDArray(DType.Float, [r, columns], Data(rng, r * columns, kind)));
                singles.Add(($"{name}_{r * columns}", tf.summary.histogram(name, p)));
            }
            var scalar = tf.placeholder(tf.float32, [], "scalar");
            feeds.Add(scalar);
            values.Add(0.25f);
            for (int i = 0; i < 30; i++) tf.summary.scalar($"s{i}", scalar);
            var all = tf.summary.merge_all()!;
            graph.Freeze();
            return (new Session(graph) { Seed = 1, RunOpsInParallel = Environment.GetEnvironmentVariable("TFMNIST_SEQUENTIAL") is null }, all, singles, feeds.ToArray(), values.ToArray());
        }
    }

    private static float[] BinaryImages(Random rng, int count)
    {
        var images = new float[count * 784];
        for (int i = 0; i < images.Length; i++) images[i] = rng.Next(5) == 0 ? 1 : 0;
        return images;
    }

    private static float[] Data(Random rng, int length, Kind kind)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u = rng.NextDouble() * 2 - 1;
            data[i] = kind switch
            {
                Kind.Weight => (float)(u * 0.2),
                Kind.Normal => (float)(u * 3),
                _ => (float)Math.Max(0, u * 3),
            };
        }
        return data;
    }
}
