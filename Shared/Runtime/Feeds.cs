using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>A value for a tensor in one run: `(x, images)` converts implicitly.</summary>
public readonly record struct FeedItem(Tensor Tensor, NDArray Value)
{
    public static implicit operator FeedItem((Tensor Tensor, NDArray Value) pair) => new(pair.Tensor, pair.Value);
    public static implicit operator FeedItem((Tensor Tensor, float[,] Value) pair) => new(pair.Tensor, pair.Value);
    public static implicit operator FeedItem((Tensor Tensor, float[] Value) pair) => new(pair.Tensor, pair.Value);
    public static implicit operator FeedItem((Tensor Tensor, float Value) pair) => new(pair.Tensor, pair.Value);
}

/// <summary>Something a run can fetch: a Tensor (its value), an Operation (run it) or a name.</summary>
public readonly struct Fetch
{
    private Fetch(Tensor? tensor, Operation? op, string? name)
    {
        Tensor = tensor;
        Operation = op;
        Name = name;
    }

    public Tensor? Tensor { get; }
    public Operation? Operation { get; }
    public string? Name { get; }

    /// <summary>"op:0" is a tensor, "op" an operation (TF's rule for string fetches).</summary>
    internal (Tensor? Tensor, Operation? Op) Resolve(Graph graph)
    {
        if (Tensor is not null) return (Tensor, null);
        if (Operation is not null) return (null, Operation);
        if (Name is null) throw new ArgumentException("Empty fetch.");
        return Name.Contains(':') ? (graph.GetTensorByName(Name), null) : (null, graph.GetOperationByName(Name));
    }

    public override string ToString() => Tensor?.Name ?? Operation?.Name ?? Name ?? "";

    public static implicit operator Fetch(Tensor tensor) => new(tensor, null, null);
    public static implicit operator Fetch(Operation op) => new(null, op, null);
    public static implicit operator Fetch(string name) => new(null, null, name);
}
