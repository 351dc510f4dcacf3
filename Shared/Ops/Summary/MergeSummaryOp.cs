using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>MergeSummary: concatenates serialized summaries; a duplicate tag is an error naming it.</summary>
public sealed class MergeSummaryOp : OpDefinition
{
    public override string Type => "MergeSummary";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.String, Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        // A Summary is just "repeated Value value = 1", so concatenated Summaries are their merge:
        // only the tags are read (to refuse duplicates), nothing is decoded and re-encoded.
        var tags = new HashSet<string>(StringComparer.Ordinal);
        int length = 0;
        for (int i = 0; i < ctx.InputCount; i++)
            foreach (var bytes in ctx.Input(i).Strings)
            {
                foreach (string tag in SummaryTags.Read(bytes, ctx.Op.Name))
                    if (!tags.Add(tag))
                        throw new InvalidArgumentException($"Duplicate tag {tag} found in summary inputs of '{ctx.Op.Name}'.");
                length += bytes.Length;
            }
        var merged = new byte[length];
        int offset = 0;
        for (int i = 0; i < ctx.InputCount; i++)
            foreach (var bytes in ctx.Input(i).Strings)
            {
                bytes.CopyTo(merged, offset);
                offset += bytes.Length;
            }
        ctx.Output(0, DType.String, []).Strings[0] = merged;
    }

    /// <summary>tf.summary.merge: the op "MergeSummary" inside a "Merge" scope, as TF names it.</summary>
    public static Tensor Create(IReadOnlyList<Tensor> inputs, string scopeName = "Merge")
    {
        var graph = inputs[0].Graph;
        using var scope = graph.NameScope(scopeName);
        return OpBuilder.Create(graph, "MergeSummary", "MergeSummary", inputs, ("N", Attr.Int(inputs.Count))).Output;
    }

    /// <summary>tf.summary.merge_all: merges the "summaries" collection, or returns null if empty.</summary>
    public static Tensor? MergeAll(Graph graph)
    {
        var summaries = graph.GetCollection<Tensor>(GraphKeys.Summaries);
        return summaries.Count == 0 ? null : Create(summaries);
    }
}
