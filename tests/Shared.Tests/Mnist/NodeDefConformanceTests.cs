using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Proto;
using TfMnist.Saving;
using TfMnist.Summary;
using TfMnist.Tests.Checkpoint;
using TfMnist.Tests.Summary;

namespace TfMnist.Tests.Mnist;

/// <summary>
/// Our NodeDefs carry the attrs TensorFlow itself writes for each op type: compared with every
/// GraphDef that real TF 1.8/1.15 wrote in shared/tf-reference, per op type, our attr names are
/// never unknown to TF (it refuses such a graph) and include every attr TF always writes.
/// </summary>
public class NodeDefConformanceTests
{
    [Fact]
    public void EveryOpTypeWeShareWithTensorFlowHasItsAttrs()
    {
        var reference = ReferenceAttrs();
        var graph = new Graph();
        using (graph.AsDefault())
        {
            MnistNetwork.Build(new MnistHyperParameters());
            Saver.Build(graph);
        }
        int compared = 0;
        foreach (var group in graph.ToGraphDef().Node.GroupBy(n => n.Op))
        {
            if (!reference.TryGetValue(group.Key, out var seen)) continue;
            var union = seen.SelectMany(s => s).ToHashSet();
            var always = seen.Skip(1).Aggregate(seen[0].ToHashSet(), (acc, s) => { acc.IntersectWith(s); return acc; });
            foreach (var node in group)
            {
                var ours = node.Attr.Keys.Where(k => !k.StartsWith('_')).ToHashSet();
                Assert.True(ours.IsSubsetOf(union), $"{node.Name} ({node.Op}) has attrs TF does not know: {string.Join(", ", ours.Except(union))}");
                Assert.True(always.IsSubsetOf(ours), $"{node.Name} ({node.Op}) lacks {string.Join(", ", always.Except(ours))}");
            }
            compared++;
        }
        // The references share most of the network's op types (MatMul, VariableV2, Assign, Mean, ...).
        Assert.True(compared >= 20, $"only {compared} op types compared");
    }

    private static Dictionary<string, List<HashSet<string>>> ReferenceAttrs()
    {
        var graphs = new List<GraphDef>();
        foreach (string name in new[] { ReferenceCheckpoints.Tf115, ReferenceCheckpoints.Tf18 })
            graphs.Add(MetaGraphDef.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(ReferenceCheckpoints.Directory(name), "mnist.meta"))).GraphDef);
        foreach (string file in ReferenceFiles.EventFiles(ReferenceFiles.RequireEventsDir()))
            foreach (var e in EventFileReader.Read(file))
                if (e.WhatCase == Event.WhatOneofCase.GraphDef) graphs.Add(GraphDef.Parser.ParseFrom(e.GraphDef));
        var result = new Dictionary<string, List<HashSet<string>>>();
        foreach (var node in graphs.SelectMany(g => g.Node))
        {
            if (!result.TryGetValue(node.Op, out var list)) result[node.Op] = list = new();
            var keys = node.Attr.Keys.Where(k => !k.StartsWith('_')).ToHashSet();
            if (!list.Any(s => s.SetEquals(keys))) list.Add(keys);
        }
        return result;
    }
}
