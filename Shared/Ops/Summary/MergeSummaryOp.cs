using Google.Protobuf;
using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>MergeSummary: concatenates serialized summaries; a duplicate tag is an error naming it.</summary>
public sealed class MergeSummaryOp : OpDefinition
{
    public override string Type => "MergeSummary";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.String, Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var merged = new Proto.Summary();
        for (int i = 0; i < ctx.InputCount; i++)
            foreach (var bytes in ctx.Input(i).Strings)
            {
                var part = Proto.Summary.Parser.ParseFrom(bytes);
                foreach (var value in part.Value)
                {
                    if (!tags.Add(value.Tag))
                        throw new InvalidArgumentException($"Duplicate tag {value.Tag} found in summary inputs of '{ctx.Op.Name}'.");
                    merged.Value.Add(value);
                }
            }
        var output = ctx.Output(0, DType.String, []);
        output.Strings[0] = merged.ToByteArray();
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
