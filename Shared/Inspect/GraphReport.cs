namespace TfMnist.Inspect;

/// <summary>
/// What <c>inspect graph</c> reports: the graph's size and producer version, its nodes by name
/// scope, its placeholders (the candidate <c>--input</c>s) and its candidate <c>--output</c>s.
/// </summary>
public sealed record GraphReport(string Source, int? Producer, int Nodes, IReadOnlyList<ScopeSummary> Scopes,
    IReadOnlyList<TensorInfo> Placeholders, IReadOnlyList<OutputCandidate> Outputs);

/// <summary>A name scope (the first <c>depth</c> parts of the node names, <c>(root)</c> for top-level nodes) and its op types with counts.</summary>
public sealed record ScopeSummary(string Scope, int Nodes, IReadOnlyDictionary<string, int> OpTypes);

/// <summary>
/// A tensor <c>op:index</c> with its op type, dtype (<c>float32</c>; null when unknown) and shape
/// (-1 for an unknown dimension; null for an unknown rank).
/// </summary>
public sealed record TensorInfo(string Tensor, string Op, string? Dtype, IReadOnlyList<long>? Shape);

/// <summary>
/// A tensor a user may want as <c>--output</c>, why (<c>softmax</c>: a Softmax op's output;
/// <c>logits</c>: the [batch, classes] input of a softmax or a cross entropy; <c>sink</c>: nothing
/// reads it) and the placeholders it depends on (what must be fed).
/// </summary>
public sealed record OutputCandidate(TensorInfo Output, IReadOnlyList<string> Reasons, IReadOnlyList<string> Placeholders);
