using System.Diagnostics;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Bench;

/// <summary>
/// The test-set pass's elementwise ops alone, one single-op run each at the pass's sizes
/// (10000 x 784 input, 10000 x 100 hidden, 10000 x 10 logits), interleaved, with a two-core
/// copy of the same bytes as the memory-bandwidth reference; then the same ops at a training
/// batch's sizes.
/// </summary>
internal static class ElementwiseBench
{
    public static void Run(int samples)
    {
        var graph = new Graph();
        var rng = new Random(1);
        NDArray Values(int rows, int cols, float scale, float shift)
        {
            var data = new float[rows * Math.Max(cols, 1)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * scale + shift);
            return new NDArray(DType.Float, cols == 0 ? [rows] : [rows, cols], data);
        }
        var (xv, hv, h2v, uv, bv, yv, ybv) = (Values(10000, 784, 1, 0), Values(10000, 100, 4, -2), Values(10000, 100, 4, -2),
            Values(10000, 100, 1, 0), Values(100, 0, 1, 0), Values(10000, 10, 4, -2), Values(10, 0, 1, 0));
        var ops = new List<(string Name, Callable Run, NDArray[] Feeds)>();
        using (graph.AsDefault())
        {
            var x = PlaceholderOp.Create(DType.Float, new Shape(-1, 784), "x");
            var h = PlaceholderOp.Create(DType.Float, new Shape(-1, 100), "h");
            var h2 = PlaceholderOp.Create(DType.Float, new Shape(-1, 100), "h2");
            var u = PlaceholderOp.Create(DType.Float, new Shape(-1, 100), "u");
            var b = PlaceholderOp.Create(DType.Float, new Shape(100), "b");
            var y = PlaceholderOp.Create(DType.Float, new Shape(-1, 10), "y");
            var yb = PlaceholderOp.Create(DType.Float, new Shape(10), "yb");
            var keep = PlaceholderOp.Create(DType.Float, new Shape(), "keep");
            var session = new Session(graph) { Seed = 1, InterOp = InterOpMode.InOrder };
            void Add(string name, Tensor result, params (Tensor Feed, NDArray Value)[] feeds) =>
                ops.Add((name, session.MakeCallable([result], feeds.Select(f => f.Feed).ToList()), feeds.Select(f => f.Value).ToArray()));
            Add("Round[10000,784]", RoundOp.Create(x), (x, xv));
            Add("Add[10000,100]+[100]", AddOp.Create(h, b), (h, hv), (b, bv));
            Add("Add[10000,10]+[10]", AddOp.Create(y, yb), (y, yv), (yb, ybv));
            Add("Add scalar+[10000,100]", AddOp.Create(keep, u), (keep, 1f), (u, uv));
            Add("Add [10000,100]+scalar", AddOp.Create(u, keep), (keep, 1f), (u, uv));
            Add("Mul[10000,100]*[10000,100]", MulOp.Create(h, h2), (h, hv), (h2, h2v));
            Add("Mul[10000,100]*scalar", MulOp.Create(u, keep), (u, uv), (keep, 1f));
            Add("RealDiv[10000,100]/scalar", RealDivOp.Create(h, keep), (h, hv), (keep, 1f));
            Add("Relu[10000,100]", ReluOp.Create(h), (h, hv));
            Add("Floor[10000,100]", FloorOp.Create(h), (h, hv));
            Add("RandomUniform[10000,100]", RandomUniformOp.Create(ConstOp.Vector(graph, [10000, 100])));
            Add("ArgMax[10000,10]", ArgMaxOp.Create(y, 1), (y, yv));
            Add("SoftmaxCE[10000,10]", SoftmaxCrossEntropyWithLogitsOp.Create(y, y).Loss, (y, yv));
            // A training batch's sizes (100 rows): in cache, one thread, so these show the kernels' own speed.
            var (xs, hs, us, ys) = (Rows(xv, 100), Rows(hv, 100), Rows(uv, 100), Rows(yv, 100));
            Add("batch Round[100,784]", RoundOp.Create(x), (x, xs));
            Add("batch Add[100,100]+[100]", AddOp.Create(h, b), (h, hs), (b, bv));
            Add("batch Add[100,10]+[10]", AddOp.Create(y, yb), (y, ys), (yb, ybv));
            Add("batch Add scalar+[100,100]", AddOp.Create(keep, u), (keep, 1f), (u, us));
            Add("batch Mul[100,100]*[100,100]", MulOp.Create(h, u), (h, hs), (u, us));
            Add("batch RealDiv[100,100]/scalar", RealDivOp.Create(h, keep), (h, hs), (keep, 1f));
            Add("batch Relu[100,100]", ReluOp.Create(h), (h, hs));
            Add("batch Floor[100,100]", FloorOp.Create(h), (h, hs));
            Add("batch RandomUniform[100,100]", RandomUniformOp.Create(ConstOp.Vector(graph, [100, 100])));
            Add("one-element Relu (fixed cost of a run)", ReluOp.Create(keep), (keep, 1f));
            Add("batch SoftmaxCE[100,10]", SoftmaxCrossEntropyWithLogitsOp.Create(y, y).Loss, (y, ys));
        }
        var copySmall = (new float[1_000_000], new float[1_000_000]);
        var copyLarge = (new float[7_840_000], new float[7_840_000]);
        var times = ops.Select(_ => new List<double>()).ToList();
        List<double> small = [], large = [];
        for (int s = -30; s < samples; s++)
        {
            for (int i = 0; i < ops.Count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                ops[i].Run.Run(ops[i].Feeds);
                if (s >= 0) times[i].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            double a = Copy(copySmall), c = Copy(copyLarge);
            if (s >= 0) { small.Add(a); large.Add(c); }
        }
        Console.WriteLine($"ELEMENTWISE two-core copy: 1M floats {Stats.Median(small) * 1000:F1} us, 7.84M floats {Stats.Median(large) * 1000:F1} us");
        for (int i = 0; i < ops.Count; i++)
            Console.WriteLine($"ELEMENTWISE {ops[i].Name,-30} {Stats.Median(times[i]) * 1000,8:F1} us");
    }

    private static NDArray Rows(NDArray full, int rows) =>
        new(DType.Float, [rows, full.Shape[1]], full.Floats[..(rows * full.Shape[1])].ToArray());

    private static double Copy((float[] From, float[] To) arrays)
    {
        long t0 = Stopwatch.GetTimestamp();
        ParallelSplit.For(arrays.From.Length, 16, arrays,
            static (s, start, count) => s.From.AsSpan(start, count).CopyTo(s.To.AsSpan(start, count)));
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
