using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using TfMnist.Checkpoint.Table;
using TfMnist.IO;
using TfMnist.Proto;

namespace TfMnist.Checkpoint;

/// <summary>
/// Reads a single-shard TensorFlow V2 checkpoint: the .index table is read and validated when
/// opened; tensor bytes are read from the data file on demand and checked against their CRC.
/// </summary>
public sealed class BundleReader
{
    // TensorFlow's kTensorBundleVersion: a bundle whose min_consumer exceeds it, or that lists it
    // among bad consumers, was written for a newer reader.
    private const int ReaderVersion = 1;

    private readonly Dictionary<string, BundleEntry> _byName;

    private BundleReader(string prefix, BundleHeaderProto header, List<BundleEntry> entries)
    {
        Prefix = prefix;
        Header = header;
        Entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public string Prefix { get; }

    public string IndexPath => BundleFiles.IndexPath(Prefix);

    public string DataPath => BundleFiles.DataPath(Prefix);

    public BundleHeaderProto Header { get; }

    /// <summary>The tensors in the index's (bytewise) order.</summary>
    public IReadOnlyList<BundleEntry> Entries { get; }

    public static BundleReader Open(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string indexPath = BundleFiles.IndexPath(prefix);
        string dataPath = BundleFiles.DataPath(prefix);
        if (!File.Exists(indexPath))
            throw new FileNotFoundException($"Checkpoint index file not found: {indexPath}", indexPath);
        if (!File.Exists(dataPath))
            throw new FileNotFoundException($"Checkpoint data file not found: {dataPath} (index {indexPath} exists)", dataPath);

        var table = TableReader.Open(indexPath);
        if (table.Entries.Count == 0 || table.Entries[0].Key.Length != 0)
            throw new CheckpointFormatException(indexPath, "no bundle header (the entry under the empty key is missing).");
        var header = ParseHeader(indexPath, table.Entries[0].Value);
        var entries = table.Entries.Skip(1).Select(e => ParseEntry(indexPath, e)).ToList();
        return new BundleReader(prefix, header, entries);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public BundleEntry GetEntry(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"Tensor \"{name}\" not found in checkpoint {IndexPath}.");

    /// <summary>The tensor's little-endian bytes, after checking size, bounds and CRC.</summary>
    public byte[] ReadRaw(string name) => ReadRaw(name, verifyCrc: true);

    /// <summary>
    /// The tensor's bytes after checking size and bounds; the CRC is checked only when
    /// <paramref name="verifyCrc"/> is set (an inspector reports a mismatch instead of failing on it).
    /// </summary>
    public byte[] ReadRaw(string name, bool verifyCrc)
    {
        var entry = GetEntry(name);
        int elementSize = TensorTypes.ElementSize(entry.DType);
        if (elementSize == 0)
            throw new NotSupportedException($"Tensor \"{name}\" in {IndexPath} has dtype {entry.DType}, which cannot be read.");
        long expected = checked(entry.NumElements * elementSize);
        if (entry.Size != expected)
            throw new CheckpointFormatException(IndexPath,
                $"tensor \"{name}\" has size {entry.Size}, but {entry.DType} [{string.Join(", ", entry.Shape)}] needs {expected} bytes.");

        byte[] bytes = new byte[entry.Size];
        using (var handle = File.OpenHandle(DataPath))
        {
            long length = RandomAccess.GetLength(handle);
            if (entry.Offset > length || entry.Size > length - entry.Offset)
                throw new CheckpointFormatException(DataPath,
                    $"tensor \"{name}\" at offset {entry.Offset} with size {entry.Size} lies beyond the end of the file ({length} bytes); truncated?");
            int read = 0;
            while (read < bytes.Length)
                read += RandomAccess.Read(handle, bytes.AsSpan(read), entry.Offset + read);
        }
        if (!verifyCrc) return bytes;
        uint actual = Crc32C.ComputeMasked(bytes);
        if (actual != entry.MaskedCrc32C)
            throw new CheckpointFormatException(DataPath,
                $"CRC mismatch for tensor \"{name}\" (offset {entry.Offset}, size {entry.Size}): stored 0x{entry.MaskedCrc32C:x8}, computed 0x{actual:x8}.");
        return bytes;
    }

    public float[] ReadFloats(string name) => ReadTyped<float>(name);

    public double[] ReadDoubles(string name) => ReadTyped<double>(name);

    public int[] ReadInt32s(string name) => ReadTyped<int>(name);

    public long[] ReadInt64s(string name) => ReadTyped<long>(name);

    public byte[] ReadUInt8s(string name) => ReadTyped<byte>(name);

    /// <summary>Bools are one byte each; any non-zero byte is true.</summary>
    public bool[] ReadBools(string name)
    {
        RequireDType(name, DataType.DtBool);
        return ReadRaw(name).Select(b => b != 0).ToArray();
    }

    private T[] ReadTyped<T>(string name) where T : unmanaged
    {
        TensorTypes.RequireLittleEndianHost();
        RequireDType(name, TensorTypes.Of<T>());
        return MemoryMarshal.Cast<byte, T>(ReadRaw(name)).ToArray();
    }

    private void RequireDType(string name, DataType wanted)
    {
        var entry = GetEntry(name);
        if (entry.DType != wanted)
            throw new InvalidOperationException($"Tensor \"{name}\" in {IndexPath} is {entry.DType}, not {wanted}.");
    }

    private static BundleHeaderProto ParseHeader(string indexPath, byte[] value)
    {
        BundleHeaderProto header;
        try
        {
            header = BundleHeaderProto.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CheckpointFormatException(indexPath, $"bad bundle header: {e.Message}");
        }
        if (header.NumShards != 1)
            throw new CheckpointFormatException(indexPath,
                $"the checkpoint has {header.NumShards} shards; sharded checkpoints are not supported (only num_shards = 1).");
        if (header.Endianness != BundleHeaderProto.Types.Endianness.Little)
            throw new CheckpointFormatException(indexPath, $"endianness {header.Endianness} is not supported (only little-endian checkpoints).");
        var version = header.Version ?? new VersionDef();
        if (version.MinConsumer > ReaderVersion || version.BadConsumers.Contains(ReaderVersion))
            throw new CheckpointFormatException(indexPath,
                $"bundle version (producer {version.Producer}, min_consumer {version.MinConsumer}) requires a newer reader than version {ReaderVersion}.");
        return header;
    }

    private static BundleEntry ParseEntry(string indexPath, TableEntry raw)
    {
        string name = DecodeName(indexPath, raw.Key);
        BundleEntryProto proto;
        try
        {
            proto = BundleEntryProto.Parser.ParseFrom(raw.Value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CheckpointFormatException(indexPath, $"bad entry for tensor \"{name}\": {e.Message}");
        }
        if (proto.ShardId != 0)
            throw new CheckpointFormatException(indexPath, $"tensor \"{name}\" is in shard {proto.ShardId}; sharded checkpoints are not supported.");
        var shape = proto.Shape ?? new TensorShapeProto();
        if (shape.UnknownRank || shape.Dim.Any(d => d.Size < 0))
            throw new CheckpointFormatException(indexPath, $"tensor \"{name}\" has an incomplete shape.");
        if (proto.Offset < 0 || proto.Size < 0)
            throw new CheckpointFormatException(indexPath, $"tensor \"{name}\" has a negative offset or size.");
        var entry = new BundleEntry(name, proto.Dtype, shape.Dim.Select(d => d.Size).ToArray(), proto.Offset,
            proto.Size, proto.Crc32C);
        try
        {
            _ = entry.NumElements;
        }
        catch (OverflowException)
        {
            throw new CheckpointFormatException(indexPath, $"tensor \"{name}\" has a shape whose element count overflows.");
        }
        return entry;
    }

    private static string DecodeName(string indexPath, byte[] key)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(key);
        }
        catch (DecoderFallbackException)
        {
            throw new CheckpointFormatException(indexPath, $"tensor name \"{TableBuilder.Describe(key)}\" is not valid UTF-8.");
        }
    }
}
