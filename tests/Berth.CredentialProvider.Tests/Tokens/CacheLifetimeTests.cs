using Berth.CredentialProvider.Tokens;

namespace Berth.CredentialProvider.Tests.Tokens;

public sealed class CacheLifetimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryCompute_OneHourToken_SubtractsTenPercent()
    {
        Assert.True(CacheLifetime.TryCompute(Now.AddHours(1), Now, out var lifetime, out _));
        Assert.Equal(TimeSpan.FromSeconds(3240), lifetime);
    }

    [Fact]
    public void TryCompute_ShortToken_SubtractsAtLeastThirtySeconds()
    {
        Assert.True(CacheLifetime.TryCompute(Now.AddSeconds(100), Now, out var lifetime, out _));
        Assert.Equal(TimeSpan.FromSeconds(70), lifetime);
    }

    [Fact]
    public void TryCompute_Always_EndsBeforeExp()
    {
        foreach (var seconds in new[] { 31, 61, 299, 600, 3599, 86400 })
        {
            var exp = Now.AddSeconds(seconds);
            Assert.True(CacheLifetime.TryCompute(exp, Now, out var lifetime, out _));
            Assert.True(lifetime > TimeSpan.Zero);
            Assert.True(Now + lifetime < exp.AddSeconds(-29), $"{seconds}s token cached for {lifetime}");
        }
    }

    [Fact]
    public void TryCompute_ExpiredToken_FailsWithExpired()
    {
        Assert.False(CacheLifetime.TryCompute(Now.AddMinutes(-2), Now, out var lifetime, out var error));
        Assert.Equal(TimeSpan.Zero, lifetime);
        Assert.Contains("expired", error, StringComparison.Ordinal);
        Assert.Contains("2m0s ago", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompute_ExpiringWithinMargin_FailsWithMargin()
    {
        Assert.False(CacheLifetime.TryCompute(Now.AddSeconds(30), Now, out _, out var error));
        Assert.Contains("safety margin", error, StringComparison.Ordinal);
    }
}
