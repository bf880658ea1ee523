using Berth.Access.Scopes;
using Berth.Access.Tokens;

namespace Berth.Access.Tests.Tokens;

/// <summary>The reuse window: the same claims asked for again within it get the token just signed, never a longer-lived one.</summary>
public sealed class RegistryTokenReuseTests : IDisposable
{
    private const string Subject = "repo:acme/app:ref:refs/heads/main";

    private readonly TokenTestContext _context = new();
    private readonly RegistryTokenIssuer _issuer;

    public RegistryTokenReuseTests() =>
        _issuer = new RegistryTokenIssuer(_context.Key, _context.Options with { ReuseWindow = TimeSpan.FromSeconds(5) }, _context.Time);

    public void Dispose() => _context.Dispose();

    [Fact]
    public void TryIssue_SameClaimsWithinWindow_ReturnsTheSameTokenEndingAtItsExp()
    {
        var first = Issue(TokenTestContext.PushApp);
        _context.Time.Advance(TimeSpan.FromSeconds(4));

        var second = Issue(TokenTestContext.PushApp);

        Assert.Equal(first.Token, second.Token);
        Assert.Equal(first.TokenId, second.TokenId);
        Assert.Equal(first.ExpiresAt, second.ExpiresAt);
        Assert.Equal(TokenTestContext.Start.AddSeconds(4), second.IssuedAt);
        Assert.Equal(296, second.ExpiresIn);
        Assert.Equal(second.ExpiresAt, second.IssuedAt.AddSeconds(second.ExpiresIn));
    }

    [Fact]
    public async Task TryIssue_ReusedToken_StillVerifies()
    {
        Issue(TokenTestContext.PushApp);
        _context.Time.Advance(TimeSpan.FromSeconds(4));

        var verification = await _context.Verifier.VerifyAsync(Issue(TokenTestContext.PushApp).Token, CancellationToken.None);

        Assert.True(verification.IsValid);
    }

    [Fact]
    public void TryIssue_SameClaimsAfterWindow_SignsAFreshToken()
    {
        var first = Issue(TokenTestContext.PushApp);
        _context.Time.Advance(TimeSpan.FromSeconds(6));

        var second = Issue(TokenTestContext.PushApp);

        Assert.NotEqual(first.TokenId, second.TokenId);
        Assert.Equal(300, second.ExpiresIn);
    }

    [Fact]
    public void TryIssue_OtherAccessSubjectOrRobots_SignsAFreshToken()
    {
        var first = Issue(TokenTestContext.PushApp);

        Assert.NotEqual(first.TokenId, Issue([new("repository", "library/app/web", ["pull"])]).TokenId);
        Assert.True(_issuer.TryIssue("repo:acme/other:ref:refs/heads/main", ["ci"], TokenTestContext.PushApp, null, out var otherSubject));
        Assert.NotEqual(first.TokenId, otherSubject.TokenId);
        Assert.True(_issuer.TryIssue(Subject, ["ci", "admin"], TokenTestContext.PushApp, null, out var otherRobots));
        Assert.NotEqual(first.TokenId, otherRobots.TokenId);
    }

    [Fact]
    public void TryIssue_CredentialExpiringSooner_NeverGetsALongerLivedToken()
    {
        var first = Issue(TokenTestContext.PushApp);

        Assert.True(_issuer.TryIssue(Subject, ["ci"], TokenTestContext.PushApp, TokenTestContext.Start.AddSeconds(30), out var shortLived));

        Assert.NotEqual(first.TokenId, shortLived.TokenId);
        Assert.Equal(30, shortLived.ExpiresIn);
    }

    [Fact]
    public void TryIssue_CredentialExpiredWithinWindow_RefusesInsteadOfReusing()
    {
        var notAfter = TokenTestContext.Start.AddSeconds(3);
        Assert.True(_issuer.TryIssue(Subject, ["ci"], TokenTestContext.PushApp, notAfter, out _));
        _context.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.False(_issuer.TryIssue(Subject, ["ci"], TokenTestContext.PushApp, notAfter, out var issued));
        Assert.Null(issued);
    }

    [Fact]
    public void Constructor_WindowOverATenthOfLifetime_Throws()
    {
        var options = _context.Options with { ReuseWindow = TimeSpan.FromSeconds(31) };

        Assert.Throws<ArgumentException>(() => new RegistryTokenIssuer(_context.Key, options, _context.Time));
    }

    private IssuedRegistryToken Issue(IReadOnlyList<ResourceScope> access)
    {
        Assert.True(_issuer.TryIssue(Subject, ["ci"], access, null, out var token));
        return token;
    }
}
