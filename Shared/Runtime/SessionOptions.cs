namespace TfMnist.Runtime;

/// <summary>
/// How a <see cref="Session"/> runs its plans. <see cref="Default"/> takes every optimization;
/// <see cref="Reference"/> takes none — no fusion, no sparse or row-pair products, no parallel
/// plan runs, one thread, the scalar GEMM — and is the executable spec the fast paths are tested
/// against (see docs/NUMERICS.md for what "the same result" means between the two).
/// </summary>
public sealed record SessionOptions
{
    public static SessionOptions Default { get; } = new();

    public static SessionOptions Reference { get; } = new() { UseReferenceKernels = true };

    /// <summary>Runs every op by its plain kernel, one at a time, in plan order, on the calling thread.</summary>
    public bool UseReferenceKernels { get; init; }
}
