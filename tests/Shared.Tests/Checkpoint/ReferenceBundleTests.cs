using TfMnist.Checkpoint;
using TfMnist.Proto;

namespace TfMnist.Tests.Checkpoint;

/// <summary>Conformance with checkpoints written by TensorFlow 1.15 and 1.8.</summary>
public class ReferenceBundleTests
{
    private static readonly long[] Weights = [784, 10];

    [Fact]
    public void Tf115HoldsSixVariablesWithAlternatingShapes()
    {
        var reader = BundleReader.Open(ReferenceCheckpoints.Prefix(ReferenceCheckpoints.Tf115));
        Assert.Equal(["Variable", "Variable_1", "Variable_2", "Variable_3", "Variable_4", "Variable_5"],
            reader.Entries.Select(e => e.Name));
        for (int i = 0; i < 6; i++)
        {
            var entry = reader.Entries[i];
            Assert.Equal(DataType.DtFloat, entry.DType);
            // This notebook's biases were created with shape [1, 10].
            Assert.Equal(i % 2 == 0 ? Weights : [1L, 10L], entry.Shape);
        }
        AssertContiguousInIndexOrder(reader);
    }

    [Fact]
    public void Tf18HoldsVariablesAdamSlotsAndBetaPowers()
    {
        var reader = BundleReader.Open(ReferenceCheckpoints.Prefix(ReferenceCheckpoints.Tf18));
        Assert.Equal(
        [
            "Variable", "Variable_1", "Variable_2", "Variable_3",
            "model/train_op/Variable/Adam", "model/train_op/Variable/Adam_1",
            "model/train_op/Variable_1/Adam", "model/train_op/Variable_1/Adam_1",
            "model/train_op/beta1_power", "model/train_op/beta2_power",
        ], reader.Entries.Select(e => e.Name));
        Assert.All(reader.Entries, e => Assert.Equal(DataType.DtFloat, e.DType));
        Assert.Equal(Weights, reader.GetEntry("model/train_op/Variable/Adam_1").Shape);
        Assert.Equal([10L], reader.GetEntry("Variable_1").Shape);
        Assert.Empty(reader.GetEntry("model/train_op/beta1_power").Shape);
        AssertContiguousInIndexOrder(reader);

        // Adam's beta powers start at 0.9 and 0.999 and are multiplied by beta once per step.
        float beta1Power = Assert.Single(reader.ReadFloats("model/train_op/beta1_power"));
        float beta2Power = Assert.Single(reader.ReadFloats("model/train_op/beta2_power"));
        double steps = Math.Log(beta2Power) / Math.Log(0.999);
        Assert.InRange(steps, 1, 1e6);
        // After n steps beta1^n is 0.9^n; here it has underflowed float to (nearly) zero.
        Assert.Equal(Math.Pow(0.9, Math.Round(steps)), beta1Power, 1e-6);
    }

    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115)]
    [InlineData(ReferenceCheckpoints.Tf18)]
    public void HeaderIsWhatTensorFlowWrites(string name)
    {
        var header = BundleReader.Open(ReferenceCheckpoints.Prefix(name)).Header;
        Assert.Equal(1, header.NumShards);
        Assert.Equal(BundleHeaderProto.Types.Endianness.Little, header.Endianness);
        Assert.Equal(1, header.Version.Producer);
        Assert.Equal(0, header.Version.MinConsumer);
        Assert.Empty(header.Version.BadConsumers);
    }

    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115)]
    [InlineData(ReferenceCheckpoints.Tf18)]
    public void EveryStoredCrcMatches(string name)
    {
        var reader = BundleReader.Open(ReferenceCheckpoints.Prefix(name));
        foreach (var entry in reader.Entries)
            Assert.Equal(entry.Size, reader.ReadRaw(entry.Name).Length); // throws on a CRC mismatch
    }

    [Fact]
    public void Tf115FirstCopyIsZerosAndThirdIsTrained()
    {
        var reader = BundleReader.Open(ReferenceCheckpoints.Prefix(ReferenceCheckpoints.Tf115));
        Assert.All(reader.ReadFloats("Variable"), v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
        Assert.All(reader.ReadFloats("Variable_1"), v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
        Assert.Contains(reader.ReadFloats("Variable_4"), v => v != 0);
        Assert.All(reader.ReadFloats("Variable_4"), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(ReferenceCheckpoints.Tf115)]
    [InlineData(ReferenceCheckpoints.Tf18)]
    public void RewritingWithBundleWriterIsByteIdentical(string name)
    {
        string original = ReferenceCheckpoints.Prefix(name);
        var reader = BundleReader.Open(original);
        using var dir = new TempDirectory();
        string copy = dir.File("mnist");
        var writer = new BundleWriter(copy);
        foreach (var entry in reader.Entries)
            writer.Add(entry.Name, entry.DType, [.. entry.Shape], reader.ReadRaw(entry.Name));
        writer.Finish();

        Assert.Equal(File.ReadAllBytes(BundleFiles.DataPath(original)), File.ReadAllBytes(BundleFiles.DataPath(copy)));
        Assert.Equal(Convert.ToHexStringLower(File.ReadAllBytes(BundleFiles.IndexPath(original))),
            Convert.ToHexStringLower(File.ReadAllBytes(BundleFiles.IndexPath(copy))));

        var reread = BundleReader.Open(copy);
        Assert.Equal(reader.Entries.Select(e => e.ToString()), reread.Entries.Select(e => e.ToString()));
        Assert.Equal(reader.Entries.Select(e => e.MaskedCrc32C), reread.Entries.Select(e => e.MaskedCrc32C));
    }

    private static void AssertContiguousInIndexOrder(BundleReader reader)
    {
        long offset = 0;
        foreach (var entry in reader.Entries)
        {
            Assert.Equal(offset, entry.Offset);
            Assert.Equal(entry.NumElements * 4, entry.Size);
            offset += entry.Size;
        }
        Assert.Equal(new FileInfo(reader.DataPath).Length, offset);
    }
}
