using System.Text;
using TfMnist.Checkpoint.Table;

namespace TfMnist.Tests.Checkpoint;

public class KeyShorteningTests
{
    [Theory]
    [InlineData("Variable_5", "W")]
    [InlineData("model/train_op/beta2_power", "n")]
    [InlineData("", "")]
    public void ShortSuccessorIncrementsFirstByte(string key, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(KeyShortening.ShortSuccessor(Encoding.ASCII.GetBytes(key))));

    [Fact]
    public void ShortSuccessorOfAllFfIsTheKey() =>
        Assert.Equal([0xff, 0xff], KeyShortening.ShortSuccessor([0xff, 0xff]));

    [Theory]
    [InlineData("abcd", "abzz", "abd")]   // first differing byte c -> d, still below z
    [InlineData("abc", "abd", "abc")]     // adjacent bytes: nothing shorter fits
    [InlineData("ab", "abc", "ab")]       // prefix: unchanged
    [InlineData("key0999", "key2000", "key1")]
    [InlineData("key0999", "key1000", "key0999")] // 0 + 1 is not below the limit's 1
    public void ShortestSeparatorStaysBetweenKeys(string start, string limit, string expected)
    {
        byte[] separator = KeyShortening.ShortestSeparator(Encoding.ASCII.GetBytes(start), Encoding.ASCII.GetBytes(limit));
        Assert.True(separator.AsSpan().SequenceCompareTo(Encoding.ASCII.GetBytes(start)) >= 0);
        Assert.True(separator.AsSpan().SequenceCompareTo(Encoding.ASCII.GetBytes(limit)) < 0);
        Assert.Equal(expected, Encoding.ASCII.GetString(separator));
    }
}
