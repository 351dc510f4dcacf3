using TfMnist.Inspect;

namespace TfMnist.Tests.Inspect;

/// <summary>Pairing names that TensorFlow uniquified differently, and saying why.</summary>
public class NameMatchingTests
{
    [Fact]
    public void SameNamesUpToASuffix_AreOneRename_WithTheTf19CaseRuleAsReason()
    {
        var diff = NameMatching.Compare(["layer/weights/summaries/mean", "loss"], ["layer/weights/summaries/mean_1", "loss"]);

        Assert.Empty(diff.OnlyInA);
        Assert.Empty(diff.OnlyInB);
        var rename = Assert.Single(diff.Renamed);
        Assert.Equal(("layer/weights/summaries/mean", "layer/weights/summaries/mean_1"), (rename.A, rename.B));
        Assert.Contains("'mean' in A (TF <= 1.8 naming) is 'mean_1' in B (TF >= 1.9 naming)", rename.Reason);
        Assert.Contains("'Mean'", rename.Reason);
        Assert.False(diff.HasNoDifference());
    }

    [Fact]
    public void NamesOfDifferentLayers_StayOnlyInTheirSide_WhileTheirCommonRenameIsCountedOnce()
    {
        string[] a = ["layerHidden1/weights/summaries/mean_1", "layerOutput/weights/summaries/mean_1", "layerHidden1/weights/summaries/stddev_1", "accuracy_1"];
        string[] b = ["layer/weights/summaries/mean", "layer/weights/summaries/stddev_1", "accuracy/accuracy"];

        var diff = NameMatching.Compare(a, b);

        Assert.Equal(a.Order(StringComparer.Ordinal), diff.OnlyInA);
        Assert.Equal(b.Order(StringComparer.Ordinal), diff.OnlyInB);
        Assert.Empty(diff.Renamed);
        var naming = Assert.Single(diff.Naming); // stddev_1 is spelled alike; the top-level accuracy_1 has no layer
        Assert.Equal(("mean_1", "mean", 2), (naming.A, naming.B, naming.Count));
        Assert.Equal("layerHidden1/weights/summaries/mean_1", naming.ExampleA);
    }

    [Fact]
    public void AnotherSuffix_IsExplainedAsTheNameTakenADifferentNumberOfTimes()
    {
        var rename = Assert.Single(NameMatching.Compare(["dense_2/MatMul"], ["dense_1/MatMul"]).Renamed);
        Assert.Contains("differ only in TF's uniquifying suffix", rename.Reason);
        Assert.DoesNotContain("1.9", rename.Reason);
    }

    [Fact]
    public void EqualSets_HaveNoDifference()
    {
        var diff = NameMatching.Compare(["a/b", "c"], ["c", "a/b"]);
        Assert.True(diff.HasNoDifference());
        Assert.Empty(diff.Naming);
    }
}
