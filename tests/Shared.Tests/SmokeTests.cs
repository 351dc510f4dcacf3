namespace TfMnist.Tests;

public class SmokeTests
{
    [Fact]
    public void TwoPlusTwo() => Assert.Equal(4, 2 + 2);
}
