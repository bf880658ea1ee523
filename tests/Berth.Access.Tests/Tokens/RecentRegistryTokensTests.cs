using Berth.Access.Scopes;
using Berth.Access.Tokens;

namespace Berth.Access.Tests.Tokens;

/// <summary>The reuse cache stays within its bounds, and a token is only ever found for exactly the claims it carries.</summary>
public sealed class RecentRegistryTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FreshExpiry = Now.AddMinutes(5);

    [Fact]
    public void Remember_MoreDistinctClaimsThanMaxEntries_KeepsAtMostMaxEntries()
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));

        for (var i = 0; i < RecentRegistryTokens.MaxEntries + 2_500; i++)
        {
            recent.Remember(KeyFor($"subject-{i}"), Token(new string('t', 100)), Now);
            Assert.True(recent.Count <= RecentRegistryTokens.MaxEntries);
        }

        Assert.True(recent.Count > 0);
    }

    [Fact]
    public void Remember_LargeTokensPastTheCharacterBound_KeepsTheTotalWithinIt()
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        var large = new string('t', RecentRegistryTokens.MaxTokenChars - 1_000);

        for (var i = 0; i < 2 * RecentRegistryTokens.MaxTotalChars / large.Length; i++)
        {
            recent.Remember(KeyFor($"subject-{i}"), Token(large), Now);
            Assert.True(recent.Chars <= RecentRegistryTokens.MaxTotalChars);
        }

        Assert.True(recent.Count > 0);
    }

    [Fact]
    public void Remember_TokenOverMaxTokenChars_IsNotKept()
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        var key = KeyFor("subject");

        recent.Remember(key, Token(new string('t', RecentRegistryTokens.MaxTokenChars + 1)), Now);

        Assert.Null(recent.Find(key, Now, FreshExpiry));
        Assert.Equal(0, recent.Count);
        Assert.Equal(0, recent.Chars);
    }

    [Fact]
    public void Remember_SameClaimsAgain_CountsTheirCharactersOnce()
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        var key = KeyFor("subject");

        recent.Remember(key, Token("first"), Now);
        recent.Remember(key, Token("second"), Now);

        Assert.Equal(1, recent.Count);
        Assert.Equal(key.Length + "second".Length, recent.Chars);
        Assert.Equal("second", recent.Find(key, Now, FreshExpiry)?.Token);
    }

    [Theory]
    [InlineData("repository", "library/app/web", "pull,push")]
    [InlineData("repository", "library/app/web", "push,pull")]
    [InlineData("repository", "library/app/web", "pull,push,delete")]
    [InlineData("repository", "library/app/webx", "pull")]
    [InlineData("repository", "library/app", "pull")]
    [InlineData("registry", "library/app/web", "pull")]
    public void Find_AnotherGrant_NeverReturnsTheTokenOfThisOne(string type, string name, string actions)
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        recent.Remember(KeyFor("subject", new ResourceScope("repository", "library/app/web", ["pull"])), Token("pull-only"), Now);

        var other = KeyFor("subject", new ResourceScope(type, name, actions.Split(',')));

        Assert.Null(recent.Find(other, Now, FreshExpiry));
    }

    [Fact]
    public void Find_TwoScopesVersusOneWithTheSameText_NeverReturnsTheOthersToken()
    {
        // Without length prefixes "a" + "b:c" and "a:b" + "c" could read alike.
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        var two = RecentRegistryTokens.Key("subject", ["ci"], [new("repository", "library/a", ["pull"]), new("repository", "library/b", ["pull"])], null);
        recent.Remember(two, Token("two-scopes"), Now);

        var oneMerged = RecentRegistryTokens.Key("subject", ["ci"], [new("repository", "library/a", ["pull", "repository", "library/b", "pull"])], null);
        var otherRobots = RecentRegistryTokens.Key("subject", ["ci", "admin"], [new("repository", "library/a", ["pull"]), new("repository", "library/b", ["pull"])], null);
        var otherExpiry = RecentRegistryTokens.Key("subject", ["ci"], [new("repository", "library/a", ["pull"]), new("repository", "library/b", ["pull"])], FreshExpiry);

        Assert.Null(recent.Find(oneMerged, Now, FreshExpiry));
        Assert.Null(recent.Find(otherRobots, Now, FreshExpiry));
        Assert.Null(recent.Find(otherExpiry, Now, FreshExpiry));
        Assert.Equal("two-scopes", recent.Find(two, Now, FreshExpiry)?.Token);
    }

    [Fact]
    public void Find_AfterTheWindow_ReturnsNothing()
    {
        var recent = new RecentRegistryTokens(TimeSpan.FromSeconds(5));
        var key = KeyFor("subject");
        recent.Remember(key, Token("token"), Now);

        Assert.Null(recent.Find(key, Now.AddSeconds(6), FreshExpiry.AddSeconds(6)));
    }

    private static string KeyFor(string subject, ResourceScope? scope = null) =>
        RecentRegistryTokens.Key(subject, ["ci"], [scope ?? new ResourceScope("repository", "library/app/web", ["pull"])], null);

    private static IssuedRegistryToken Token(string token) => new(token, 300, Now, FreshExpiry, Guid.NewGuid().ToString("N"));
}
