using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using TfMnist.Checkpoint.Table;
using TfMnist.Core;
using TfMnist.IO;
using TfMnist.Proto;

namespace TfMnist.Checkpoint;

/// <summary>
/// Writes a TensorFlow V2 checkpoint (TensorBundle) with a single shard:
/// <c>&lt;prefix&gt;.data-00000-of-00001</c> holding the tensors' bytes back to back (no
/// alignment padding, TF 1.x's default) in sorted name order, as TF's Saver adds them, and
/// <c>&lt;prefix&gt;.index</c>, a sorted table mapping "" to the header and each name to its
/// entry. Tensors are buffered in memory until <see cref="Finish"/>.
/// </summary>
public sealed class BundleWriter
{
    // TensorFlow's kTensorBundleVersion; its kTensorBundleMinConsumer is 0 (not serialized).
    private const int BundleProducerVersion = 1;

    private readonly SortedDictionary<byte[], Pending> _tensors = new(ByteOrder.Instance);
    private bool _finished;

    public BundleWriter(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary>Adds a tensor given as raw little-endian bytes, copied immediately.</summary>
    public void Add(string name, DataType dtype, long[] shape, ReadOnlySpan<byte> rawLittleEndianBytes)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        // The empty key holds the bundle header.
        if (name.Length == 0)
            throw new ArgumentException("A tensor name must not be empty.", nameof(name));
        int elementSize = TensorTypes.ElementSize(dtype);
        if (elementSize == 0)
            throw new NotSupportedException($"Tensor \"{name}\": dtype {dtype} cannot be saved (only fixed-size numeric and bool types are supported).");
        long expected = checked(TensorTypes.NumElements(shape) * elementSize);
        if (rawLittleEndianBytes.Length != expected)
            throw new ArgumentException(
                $"Tensor \"{name}\": {rawLittleEndianBytes.Length} bytes given, but {dtype} [{string.Join(", ", shape)}] needs {expected}.",
                nameof(rawLittleEndianBytes));
        byte[] key = Encoding.UTF8.GetBytes(name);
        if (!_tensors.TryAdd(key, new Pending(dtype, (long[])shape.Clone(), rawLittleEndianBytes.ToArray())))
            throw new ArgumentException($"Tensor \"{name}\" was already added.", nameof(name));
    }

    /// <summary>Adds a tensor of float, double, int, long, byte or bool elements.</summary>
    public void Add<T>(string name, long[] shape, ReadOnlySpan<T> values) where T : unmanaged
    {
        TensorTypes.RequireLittleEndianHost();
        Add(name, TensorTypes.Of<T>(), shape, MemoryMarshal.AsBytes(values));
    }

    /// <summary>
    /// Writes the data file, then the index, each under a temporary name renamed into place, in
    /// TensorFlow's order: an index is only ever visible next to the complete data it describes.
    /// </summary>
    public void Finish()
    {
        var (data, index) = Encode();
        AtomicFile.WriteAllBytes(BundleFiles.DataPath(Prefix), data);
        AtomicFile.WriteAllBytes(BundleFiles.IndexPath(Prefix), index);
    }

    /// <summary>
    /// The bytes of the data file and of the index, for a caller that writes them itself (the
    /// Saver's crash-safe save); ends the writer like <see cref="Finish"/>.
    /// </summary>
    public (byte[] Data, byte[] Index) Encode()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;

        var data = new MemoryStream();
        foreach (var tensor in _tensors.Values)
            data.Write(tensor.Bytes);

        var index = new MemoryStream();
        var table = new TableBuilder(index, TableFormat.TensorFlowBlockSize);
        table.Add([], Header().ToByteArray());
        long offset = 0;
        foreach (var (key, tensor) in _tensors)
        {
            table.Add(key, Entry(tensor, offset).ToByteArray());
            offset += tensor.Bytes.Length;
        }
        table.Finish();
        return (data.ToArray(), index.ToArray());
    }

    private static BundleHeaderProto Header() => new()
    {
        NumShards = 1,
        Endianness = BundleHeaderProto.Types.Endianness.Little,
        Version = new VersionDef { Producer = BundleProducerVersion },
    };

    private static BundleEntryProto Entry(Pending tensor, long offset) => new()
    {
        Dtype = tensor.DType,
        // Always present, even for a scalar: TF serializes an empty shape message (12 00).
        Shape = TensorTypes.ToProto(tensor.Shape),
        ShardId = 0,
        Offset = offset,
        Size = tensor.Bytes.Length,
        Crc32C = Crc32C.ComputeMasked(tensor.Bytes),
    };

    private sealed record Pending(DataType DType, long[] Shape, byte[] Bytes);

    /// <summary>TensorFlow orders bundle keys bytewise over their UTF-8 encoding.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => TableFormat.Compare(x, y);
    }
}
