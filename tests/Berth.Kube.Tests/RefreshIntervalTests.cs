using Berth.Kube;

namespace Berth.Kube.Tests;

public sealed class RefreshIntervalTests
{
    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("00:45:00", 45 * 60)]
    public void TryParse_Duration_ReadsIt(string text, int seconds)
    {
        Assert.True(RefreshInterval.TryParse(text, out var interval, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), interval);
    }

    [Theory]
    [InlineData("10s")]
    [InlineData("25h")]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("5d")]
    public void TryParse_OutOfRangeOrNotADuration_IsRefusedWithAMessage(string text)
    {
        Assert.False(RefreshInterval.TryParse(text, out _, out var error));
        Assert.Contains("--interval", error, StringComparison.Ordinal);
    }
}
