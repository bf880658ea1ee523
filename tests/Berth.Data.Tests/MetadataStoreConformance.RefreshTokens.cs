using Berth.Access.Refresh;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task StoreRefreshTokenAsync_ThenFind_RoundTripsEveryField()
    {
        var record = RefreshToken("hash-1", T0.AddHours(8), "ci-push", "ci-pull", "audit");

        await RefreshTokens.StoreRefreshTokenAsync(record, Ct);

        AssertSame(record, await RefreshTokens.FindRefreshTokenAsync("hash-1", Ct));
    }

    [Fact]
    public async Task StoreRefreshTokenAsync_NoRobots_RoundTripsEmptyList()
    {
        var record = RefreshToken("hash-1", T0.AddHours(8));

        await RefreshTokens.StoreRefreshTokenAsync(record, Ct);

        AssertSame(record, await RefreshTokens.FindRefreshTokenAsync("hash-1", Ct));
    }

    [Fact]
    public async Task StoreRefreshTokenAsync_SameHashAgain_ReplacesRecord()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("hash-1", T0.AddHours(1), "old"), Ct);
        var replacement = RefreshToken("hash-1", T0.AddHours(2), "new");

        await RefreshTokens.StoreRefreshTokenAsync(replacement, Ct);

        AssertSame(replacement, await RefreshTokens.FindRefreshTokenAsync("hash-1", Ct));
        Assert.Equal(0, await RefreshTokens.DeleteRefreshTokensForRobotAsync("old", Ct));
    }

    [Fact]
    public async Task FindRefreshTokenAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("nope", Ct));
    }

    [Fact]
    public async Task DeleteRefreshTokenAsync_Existing_RemovesItAndReturnsTrue()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("hash-1", T0.AddHours(1), "ci"), Ct);

        Assert.True(await RefreshTokens.DeleteRefreshTokenAsync("hash-1", Ct));

        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("hash-1", Ct));
        Assert.False(await RefreshTokens.DeleteRefreshTokenAsync("hash-1", Ct));
    }

    [Fact]
    public async Task DeleteRefreshTokensForRobotAsync_RobotBoundToSome_RevokesOnlyThose()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("a", T0.AddHours(1), "ci"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("b", T0.AddHours(1), "deploy", "ci"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("c", T0.AddHours(1), "deploy"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("d", T0.AddHours(1), "ci-nightly"), Ct);

        Assert.Equal(2, await RefreshTokens.DeleteRefreshTokensForRobotAsync("ci", Ct));

        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("a", Ct));
        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("b", Ct));
        Assert.NotNull(await RefreshTokens.FindRefreshTokenAsync("c", Ct));
        Assert.NotNull(await RefreshTokens.FindRefreshTokenAsync("d", Ct));
        Assert.Equal(0, await RefreshTokens.DeleteRefreshTokensForRobotAsync("ci", Ct));
    }

    [Fact]
    public async Task PurgeExpiredRefreshTokensAsync_MixedExpiry_RemovesExpiredOnly()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("expired", T0.AddMinutes(-1), "ci"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("expires-now", T0, "ci"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("live", T0.AddMinutes(1), "ci"), Ct);

        Assert.Equal(2, await RefreshTokens.PurgeExpiredRefreshTokensAsync(T0, Ct));

        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("expired", Ct));
        Assert.Null(await RefreshTokens.FindRefreshTokenAsync("expires-now", Ct));
        Assert.NotNull(await RefreshTokens.FindRefreshTokenAsync("live", Ct));
        Assert.Equal(1, await RefreshTokens.DeleteRefreshTokensForRobotAsync("ci", Ct));
    }

    [Fact]
    public async Task RevokeRefreshTokensAsync_BySubjectIssuerOrFingerprint_RevokesOnlyThose()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("a", T0.AddHours(1), "ci") with { Subject = "repo:acme/app:ref:refs/heads/dev" }, Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("b", T0.AddHours(1), "ci") with { Issuer = "https://gitlab.com" }, Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("c", T0.AddHours(1), "deploy"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("d", T0.AddHours(1), "deploy") with { RobotsFingerprint = "fp-c" }, Ct);

        Assert.Equal(1, await RefreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Subject("repo:acme/app:ref:refs/heads/dev"), Ct));
        Assert.Equal(1, await RefreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Issuer("https://gitlab.com"), Ct));
        Assert.Equal(2, await RefreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Fingerprint("fp-c"), Ct));

        foreach (var hash in new[] { "a", "b", "c", "d" })
        {
            Assert.Null(await RefreshTokens.FindRefreshTokenAsync(hash, Ct));
        }
    }

    [Fact]
    public async Task RevokeRefreshTokensAsync_ByRobot_RevokesTokensBoundToIt()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("a", T0.AddHours(1), "ci", "deploy"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("b", T0.AddHours(1), "deploy"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("c", T0.AddHours(1), "other"), Ct);

        Assert.Equal(2, await RefreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Robot("deploy"), Ct));

        Assert.NotNull(await RefreshTokens.FindRefreshTokenAsync("c", Ct));
    }

    [Fact]
    public async Task ListRefreshTokenBindingsAsync_SeveralTokens_ListsEachFingerprintOnceWithItsRobots()
    {
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("a", T0.AddHours(1), "deploy", "ci"), Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("b", T0.AddHours(1), "ci", "deploy") with { RobotsFingerprint = "fp-a" }, Ct);
        await RefreshTokens.StoreRefreshTokenAsync(RefreshToken("c", T0.AddHours(1), "other"), Ct);

        var bindings = await RefreshTokens.ListRefreshTokenBindingsAsync(Ct);

        Assert.Equal(["fp-a", "fp-c"], bindings.Select(b => b.RobotsFingerprint));
        Assert.Equal(["ci", "deploy"], bindings[0].Robots);
        Assert.Equal(["other"], bindings[1].Robots);
    }

    private static readonly string[] NoRobots = [];

    private static void AssertSame(RefreshTokenRecord expected, RefreshTokenRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Robots = NoRobots }, actual with { Robots = NoRobots });
        Assert.Equal(expected.Robots, actual.Robots);
    }
}
