using System.Runtime.InteropServices;
using TfMnist.Checkpoint;
using TfMnist.Proto;

namespace TfMnist.Tests.Checkpoint;

public class BundleRoundTripTests
{
    /// <summary>Floats whose bits a lossy path (e.g. through double or text) would change.</summary>
    private static readonly float[] AwkwardFloats =
    [
        -0f, 0f, float.Epsilon, -float.Epsilon, 1.17549421E-38f /* largest denormal */,
        BitConverter.Int32BitsToSingle(0x7fc00001), // quiet NaN with payload
        BitConverter.Int32BitsToSingle(0x7f800001), // signalling NaN
        BitConverter.Int32BitsToSingle(unchecked((int)0xffc12345)), // negative NaN with payload
        float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, 1f / 3,
    ];

    [Fact]
    public void EveryDTypeAndShapeRoundTripsBitExactly()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("model");
        var writer = new BundleWriter(prefix);
        writer.Add<float>("w", [3, 4], AwkwardFloats);
        writer.Add<float>("scalar", [], [42.5f]);
        writer.Add<float>("empty", [0, 10], []);
        writer.Add<double>("d", [2], [double.Epsilon, BitConverter.Int64BitsToDouble(0x7ff0000000000abc)]);
        writer.Add<int>("i", [2, 1, 2], [int.MinValue, -1, 0, int.MaxValue]);
        writer.Add<long>("global_step", [], [long.MinValue + 7]);
        writer.Add<bool>("flags", [3], [true, false, true]);
        writer.Add<byte>("bytes", [4], [0, 1, 254, 255]);
        writer.Finish();

        var reader = BundleReader.Open(prefix);
        Assert.Equal(["bytes", "d", "empty", "flags", "global_step", "i", "scalar", "w"], reader.Entries.Select(e => e.Name));
        Assert.Equal(MemoryMarshal.AsBytes(AwkwardFloats.AsSpan()).ToArray(), reader.ReadRaw("w"));
        Assert.Equal(AwkwardFloats.Select(BitConverter.SingleToInt32Bits), reader.ReadFloats("w").Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([42.5f], reader.ReadFloats("scalar"));
        Assert.Empty(reader.ReadFloats("empty"));
        Assert.Equal([0x0000000000000001L, 0x7ff0000000000abcL], reader.ReadDoubles("d").Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal([int.MinValue, -1, 0, int.MaxValue], reader.ReadInt32s("i"));
        Assert.Equal([long.MinValue + 7], reader.ReadInt64s("global_step"));
        Assert.Equal([true, false, true], reader.ReadBools("flags"));
        Assert.Equal([0, 1, 254, 255], reader.ReadUInt8s("bytes"));

        Assert.Equal([3L, 4L], reader.GetEntry("w").Shape);
        Assert.Empty(reader.GetEntry("scalar").Shape);
        Assert.Equal([0L, 10L], reader.GetEntry("empty").Shape);
        Assert.Equal(DataType.DtInt64, reader.GetEntry("global_step").DType);
        Assert.Equal(DataType.DtBool, reader.GetEntry("flags").DType);
    }

    [Fact]
    public void DataFileIsTheSortedConcatenationWithoutPadding()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        var writer = new BundleWriter(prefix);
        writer.Add<byte>("b", [3], [4, 5, 6]);
        writer.Add<byte>("a", [1], [1]);
        writer.Add<byte>("B", [2], [2, 3]); // 'B' < 'a' < 'b' bytewise
        writer.Finish();

        Assert.Equal([2, 3, 1, 4, 5, 6], File.ReadAllBytes(BundleFiles.DataPath(prefix)));
        var reader = BundleReader.Open(prefix);
        Assert.Equal([0L, 2L, 3L], reader.Entries.Select(e => e.Offset));
        Assert.Equal(1, reader.Header.NumShards);
        Assert.Equal(1, reader.Header.Version.Producer);
        // Only the two final files remain: temporaries were renamed into place.
        Assert.Equal(["m.data-00000-of-00001", "m.index"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void CorruptedTensorByteIsReportedNamingTheTensor()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        var writer = new BundleWriter(prefix);
        writer.Add<float>("layer/weights", [2], [1f, 2f]);
        writer.Add<float>("layer/bias", [1], [3f]);
        writer.Finish();

        string data = BundleFiles.DataPath(prefix);
        byte[] bytes = File.ReadAllBytes(data);
        bytes[^1] ^= 0x80; // "layer/weights" sorts last
        File.WriteAllBytes(data, bytes);

        var reader = BundleReader.Open(prefix);
        Assert.Equal([3f], reader.ReadFloats("layer/bias"));
        var error = Assert.Throws<CheckpointFormatException>(() => reader.ReadFloats("layer/weights"));
        Assert.Contains("CRC mismatch for tensor \"layer/weights\"", error.Message);
        Assert.Equal(data, error.FileName);
    }

    [Fact]
    public void TruncatedDataFileIsReportedNamingTheTensor()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        var writer = new BundleWriter(prefix);
        writer.Add<int>("a", [1], [1]);
        writer.Add<int>("z", [4], [1, 2, 3, 4]);
        writer.Finish();
        string data = BundleFiles.DataPath(prefix);
        File.WriteAllBytes(data, File.ReadAllBytes(data)[..10]);

        var error = Assert.Throws<CheckpointFormatException>(() => BundleReader.Open(prefix).ReadRaw("z"));
        Assert.Contains("tensor \"z\"", error.Message);
        Assert.Contains("beyond the end of the file", error.Message);
    }

    [Fact]
    public void ManyTensorsSpillTheIndexIntoSeveralBlocks()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("big");
        var writer = new BundleWriter(prefix);
        for (int i = 0; i < 12000; i++)
            writer.Add<int>($"tower_{i % 3}/layer_{i:D5}/kernel/ExponentialMovingAverage", [], [i]);
        writer.Finish();

        // TF's 256 KiB block target: an index this size needs more than one data block.
        Assert.True(new FileInfo(BundleFiles.IndexPath(prefix)).Length > 2 * 262144);
        var reader = BundleReader.Open(prefix);
        Assert.Equal(12000, reader.Entries.Count);
        Assert.Equal([7777], reader.ReadInt32s("tower_1/layer_07777/kernel/ExponentialMovingAverage"));
        Assert.Equal([11999], reader.ReadInt32s("tower_2/layer_11999/kernel/ExponentialMovingAverage"));
    }

    [Fact]
    public void WriterRejectsBadInput()
    {
        using var dir = new TempDirectory();
        var writer = new BundleWriter(dir.File("m"));
        writer.Add<float>("x", [1], [1f]);
        Assert.Throws<ArgumentException>(() => writer.Add<float>("x", [1], [2f]));       // duplicate
        Assert.Throws<ArgumentException>(() => writer.Add<float>("", [1], [2f]));        // header key
        Assert.Throws<ArgumentException>(() => writer.Add<float>("y", [2, 2], [1f]));    // size vs shape
        Assert.Throws<ArgumentException>(() => writer.Add<float>("y", [-1], [1f]));      // unknown dim
        Assert.Throws<NotSupportedException>(() => writer.Add("s", DataType.DtString, [1], [0]));
        writer.Finish();
        Assert.Throws<ObjectDisposedException>(() => writer.Add<float>("z", [1], [1f]));
    }

    [Fact]
    public void TypedReadOfTheWrongDTypeNamesBoth()
    {
        using var dir = new TempDirectory();
        var writer = new BundleWriter(dir.File("m"));
        writer.Add<int>("step", [], [5]);
        writer.Finish();
        var error = Assert.Throws<InvalidOperationException>(() => BundleReader.Open(dir.File("m")).ReadFloats("step"));
        Assert.Contains("\"step\"", error.Message);
        Assert.Contains("DtInt32", error.Message);
        Assert.Throws<KeyNotFoundException>(() => BundleReader.Open(dir.File("m")).ReadRaw("missing"));
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("m");
        var none = Assert.Throws<FileNotFoundException>(() => BundleReader.Open(prefix));
        Assert.Contains(BundleFiles.IndexPath(prefix), none.Message);

        var writer = new BundleWriter(prefix);
        writer.Add<int>("a", [1], [1]);
        writer.Finish();
        File.Delete(BundleFiles.DataPath(prefix));
        var noData = Assert.Throws<FileNotFoundException>(() => BundleReader.Open(prefix));
        Assert.Contains(BundleFiles.DataPath(prefix), noData.Message);
    }
}
