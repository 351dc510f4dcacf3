using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Checkpoint;

/// <summary>
/// A tensor's metadata in a bundle index: where its bytes are in the data file and the masked
/// CRC-32C TensorFlow stored for them.
/// </summary>
public sealed record BundleEntry(string Name, DataType DType, IReadOnlyList<long> Shape, long Offset,
    long Size, uint MaskedCrc32C)
{
    public long NumElements => TensorTypes.NumElements(Shape);

    public override string ToString() => $"{Name} {DType} [{string.Join(", ", Shape)}] @{Offset}+{Size}";
}
