using Berth.CredentialProvider.Tokens;

namespace Berth.CredentialProvider.Tests.Tokens;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-5, "0s")]
    [InlineData(1, "1s")]
    [InlineData(45, "45s")]
    [InlineData(60, "1m0s")]
    [InlineData(245, "4m5s")]
    [InlineData(3240, "54m0s")]
    [InlineData(3600, "1h0m0s")]
    [InlineData(3661, "1h1m1s")]
    [InlineData(90000, "25h0m0s")]
    public void Format_WholeSeconds_MatchesGoDurationString(int seconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Format_FractionalSeconds_TruncatesDown() =>
        Assert.Equal("4m4s", GoDuration.Format(TimeSpan.FromMilliseconds(244_999)));
}
