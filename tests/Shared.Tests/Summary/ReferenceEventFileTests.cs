using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>Conformance with event files written by real TensorFlow 1.x.</summary>
public class ReferenceEventFileTests
{
    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static IEnumerable<(string File, List<Event> Events)> ReadAll()
    {
        string dir = ReferenceFiles.RequireEventsDir();
        string[] files = ReferenceFiles.EventFiles(dir);
        Assert.NotEmpty(files);
        // Reading verifies both CRCs of every record; a mismatch throws.
        return files.Select(f => (f, EventFileReader.Read(f).ToList())).ToList();
    }

    [Fact]
    public void EveryFile_ReadsWithValidCrcs_AndStartsWithFileVersion()
    {
        foreach (var (file, events) in ReadAll())
        {
            Assert.Equal("brain.Event:2", events[0].FileVersion);
            var tags = events.Where(e => e.WhatCase == Event.WhatOneofCase.Summary)
                .SelectMany(e => e.Summary.Value.Select(v => (v.Tag, e.Step, Kind: v.ValueCase)))
                .GroupBy(t => (t.Tag, t.Kind));
            Log($"{Path.GetRelativePath(ReferenceFiles.Root!, file)}: {events.Count} events, kinds " +
                string.Join(", ", events.GroupBy(e => e.WhatCase).Select(g => $"{g.Key}={g.Count()}")));
            foreach (var g in tags)
                Log($"  {g.Key.Tag} [{g.Key.Kind}] steps {g.Min(t => t.Step)}..{g.Max(t => t.Step)} ({g.Count()})");
        }
    }

    [Fact]
    public void EveryHistogram_UsesDefaultLimits_AndReencodesIdentically()
    {
        int histograms = 0;
        var ours = new Histogram();
        foreach (var (file, events) in ReadAll())
        {
            foreach (var value in events.Where(e => e.WhatCase == Event.WhatOneofCase.Summary).SelectMany(e => e.Summary.Value))
            {
                if (value.ValueCase != Proto.Summary.Types.Value.ValueOneofCase.Histo) continue;
                histograms++;
                HistogramProto tf = value.Histo;
                string where = $"{Path.GetFileName(file)} tag {value.Tag}";

                // Every limit a member of our 1551 defaults (DBL_MAX included), increasing.
                long[] counts = HistogramOracle.DecodeCounts(tf);
                Assert.True(counts.Sum() == tf.Num, $"{where}: counts sum to {counts.Sum()}, num {tf.Num}");
                HistogramTests.AssertCollapsed(tf);

                // TF's min and max must fall in its first and last non-empty buckets under our
                // upper-bound bucketing.
                int first = Array.FindIndex(counts, c => c > 0), last = Array.FindLastIndex(counts, c => c > 0);
                Assert.True(HistogramBuckets.IndexOf(tf.Min) == first, $"{where}: min {tf.Min:R} not in bucket {first}");
                Assert.True(HistogramBuckets.IndexOf(tf.Max) == last, $"{where}: max {tf.Max:R} not in bucket {last}");

                // Values placed inside TF's buckets must re-encode to TF's exact entries.
                HistogramProto mine = ours.Summarize(ValuesFor(counts), value.Tag);
                Assert.Equal(tf.BucketLimit, mine.BucketLimit);
                Assert.Equal(tf.Bucket, mine.Bucket);
            }
        }
        Log($"{histograms} histograms checked");
        Assert.True(histograms > 0, "the reference files should contain histograms");
    }

    [Fact]
    public void GraphEvents_ParseAsGraphDefsWithNodes()
    {
        int graphs = 0;
        foreach (var (file, events) in ReadAll())
        {
            foreach (Event e in events)
            {
                if (e.WhatCase == Event.WhatOneofCase.GraphDef)
                {
                    GraphDef graph = GraphDef.Parser.ParseFrom(e.GraphDef);
                    Assert.NotEmpty(graph.Node);
                    Assert.All(graph.Node, n => Assert.False(string.IsNullOrEmpty(n.Op)));
                    Log($"{Path.GetFileName(file)}: graph_def with {graph.Node.Count} nodes");
                    graphs++;
                }
                else if (e.WhatCase == Event.WhatOneofCase.MetaGraphDef)
                {
                    Assert.NotEmpty(MetaGraphDef.Parser.ParseFrom(e.MetaGraphDef).GraphDef.Node);
                }
            }
        }
        Assert.True(graphs > 0, "the reference files should contain graph_def events");
    }

    // One float per counted value, at the geometric middle of its bucket: 5% away from either
    // limit, far beyond float rounding, so each lands in exactly that bucket.
    private static float[] ValuesFor(long[] counts)
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        var values = new List<float>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            double upper = limits[i], lower = limits[i - 1]; // bucket 0 (below -DBL_MAX) is never used
            double v = i == limits.Length - 1 ? 1e30
                : lower == 0 ? upper / 2
                : upper == 0 ? lower / 2
                : Math.Sign(upper) * Math.Sqrt(lower * upper);
            values.AddRange(Enumerable.Repeat((float)v, (int)counts[i]));
        }
        return values.ToArray();
    }
}
