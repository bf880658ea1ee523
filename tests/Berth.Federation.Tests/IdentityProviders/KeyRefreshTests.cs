using Berth.Federation.IdentityProviders;
using Berth.Federation.Tests.Support;
using Berth.Federation.Tokens;

namespace Berth.Federation.Tests.IdentityProviders;

/// <summary>Key rotation, rate-limited refresh on unknown kid, and issuer outages, on a fake clock.</summary>
public sealed class KeyRefreshTests : IAsyncLifetime
{
    private const string GitLabJwks = "/gitlab/jwks";
    private const string GitHubJwks = "/github/jwks";
    private readonly FederationHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ValidateAsync_NewKidAtJwksUrl_IsAcceptedAfterOneRateLimitedRefresh()
    {
        Assert.True((await ValidateGitLab(_harness.GitLabKey)).IsValid);
        _harness.GitLabServer.Serve(GitLabJwks, TestKey.Jwks(_harness.GitLabKey, TestKeys.GitHubNext));

        var tooSoon = await ValidateGitLab(TestKeys.GitHubNext);
        _harness.Time.Advance(TimeSpan.FromSeconds(31));
        var afterRefresh = await ValidateGitLab(TestKeys.GitHubNext);

        Assert.Equal(TokenRejectionReasons.UnknownKey, tooSoon.Rejection?.Reason);
        Assert.True(afterRefresh.IsValid, afterRefresh.Rejection?.Message);
        Assert.Equal(2, _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidRepeated_FetchesAtMostOncePerInterval()
    {
        Assert.True((await ValidateGitLab(_harness.GitLabKey)).IsValid);
        _harness.Time.Advance(TimeSpan.FromSeconds(31));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TokenRejectionReasons.UnknownKey, (await ValidateGitLab(TestKeys.Attacker)).Rejection?.Reason);
        }

        Assert.Equal(2, _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public async Task ValidateAsync_NewKidViaDiscovery_IsAcceptedAfterRefresh()
    {
        Assert.True((await ValidateGitHub(_harness.GitHubKey)).IsValid);
        _harness.GitHubServer.Serve(GitHubJwks, TestKey.Jwks(TestKeys.GitHubNext));
        _harness.Time.Advance(TimeSpan.FromSeconds(31));

        var rotated = await ValidateGitHub(TestKeys.GitHubNext);

        Assert.True(rotated.IsValid, rotated.Rejection?.Message);
        Assert.Equal(2, _harness.GitHubServer.Hits("/github/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task ValidateAsync_AcceptedTokenPastItsExpiry_IsRefusedNotServedFromMemory()
    {
        var claims = _harness.GitLabClaims();
        claims["exp"] = _harness.Time.GetUtcNow().ToUnixTimeSeconds() + 30;
        var token = _harness.GitLabKey.Sign(claims.ToJsonString());
        Assert.True((await _harness.ValidateAsync(token)).IsValid);
        Assert.True((await _harness.ValidateAsync(token)).IsValid);

        _harness.Time.Advance(TimeSpan.FromSeconds(30 + 61)); // past exp and the 60 s clock skew
        var expired = await _harness.ValidateAsync(token);

        Assert.Equal(TokenRejectionReasons.TokenExpired, expired.Rejection?.Reason);
    }

    [Fact]
    public async Task ValidateAsync_RemovedKey_IsRefusedAfterRefresh()
    {
        Assert.True((await ValidateGitLab(_harness.GitLabKey)).IsValid);
        _harness.GitLabServer.Serve(GitLabJwks, TestKey.Jwks(TestKeys.GitHubNext));
        Assert.True((await ValidateGitLab(_harness.GitLabKey)).IsValid); // still cached

        _harness.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var removed = await ValidateGitLab(_harness.GitLabKey);

        Assert.Equal(TokenRejectionReasons.UnknownKey, removed.Rejection?.Reason);
        Assert.True((await ValidateGitLab(TestKeys.GitHubNext)).IsValid);
    }

    [Fact]
    public async Task ValidateAsync_IssuerDown_CachedKeysWorkUntilMaxStaleKeyAge()
    {
        Assert.True((await ValidateGitHub(_harness.GitHubKey)).IsValid);
        await _harness.GitHubServer.StopAsync();

        _harness.Time.Advance(TimeSpan.FromHours(23));
        var stillCached = await ValidateGitHub(_harness.GitHubKey);
        var healthWhileDown = _harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "github");
        _harness.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var tooStale = await ValidateGitHub(_harness.GitHubKey);

        Assert.True(stillCached.IsValid, stillCached.Rejection?.Message);
        Assert.True(healthWhileDown.KeysUsable);
        Assert.NotNull(healthWhileDown.LastError);
        Assert.Equal(FederationHarness.Start, healthWhileDown.LastSuccessfulFetch);
        Assert.Equal(TokenRejectionReasons.UnknownKey, tooStale.Rejection?.Reason);
        Assert.Contains("unreachable", tooStale.Rejection!.Message, StringComparison.Ordinal);
        Assert.False(_harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "github").KeysUsable);
    }

    [Fact]
    public async Task ValidateAsync_OneIssuerDown_OtherIssuersKeepWorking()
    {
        await _harness.GitHubServer.StopAsync();

        var github = await ValidateGitHub(_harness.GitHubKey);
        var gitlab = await ValidateGitLab(_harness.GitLabKey);
        var cluster = await _harness.ValidateAsync(_harness.KubernetesKey.Sign(_harness.KubernetesClaims().ToJsonString()));

        Assert.Equal(TokenRejectionReasons.UnknownKey, github.Rejection?.Reason);
        Assert.True(gitlab.IsValid, gitlab.Rejection?.Message);
        Assert.True(cluster.IsValid, cluster.Rejection?.Message);
    }

    [Fact]
    public async Task ValidateAsync_IssuerBackAfterOutage_RecoversOnNextRefresh()
    {
        _harness.GitLabServer.Serve(GitLabJwks, "{}", status: 503);
        Assert.Equal(TokenRejectionReasons.UnknownKey, (await ValidateGitLab(_harness.GitLabKey)).Rejection?.Reason);
        _harness.GitLabServer.Serve(GitLabJwks, TestKey.Jwks(_harness.GitLabKey));
        _harness.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.True((await ValidateGitLab(_harness.GitLabKey)).IsValid);
        Assert.Null(_harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "gitlab").LastError);
    }

    [Fact]
    public async Task ValidateAsync_DiscoveredIssuerDiffers_RefusesThoseKeys()
    {
        _harness.GitHubServer.Serve("/github/.well-known/openid-configuration",
            $$"""{"issuer":"https://evil.example","jwks_uri":"{{_harness.GitHubServer.BaseUrl}}/github/jwks"}""");

        var result = await ValidateGitHub(_harness.GitHubKey);

        Assert.Equal(TokenRejectionReasons.UnknownKey, result.Rejection?.Reason);
        Assert.Contains("names issuer 'https://evil.example'", _harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "github").LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_ManyConcurrentOnColdCache_FetchOnce()
    {
        var tokens = Enumerable.Range(0, 20).Select(_ => _harness.GitLabKey.Sign(_harness.GitLabClaims().ToJsonString()));

        var results = await Task.WhenAll(tokens.Select(_harness.ValidateAsync));

        Assert.All(results, r => Assert.True(r.IsValid));
        Assert.Equal(1, _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public async Task ValidateAsync_UnknownIssuer_FetchesNothing()
    {
        var claims = _harness.GitLabClaims();
        claims["iss"] = _harness.GitLabServer.BaseUrl;

        var result = await _harness.ValidateAsync(_harness.GitLabKey.Sign(claims.ToJsonString()));

        Assert.Equal(TokenRejectionReasons.UnknownIssuer, result.Rejection?.Reason);
        Assert.Equal(0, _harness.GitLabServer.Hits("/.well-known/openid-configuration") + _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public async Task ValidateAsync_PastedJwksUnknownKid_RefusedWithoutAnyFetch()
    {
        var claims = _harness.KubernetesClaims();

        var result = await _harness.ValidateAsync(TestKeys.AttackerEc.Sign(claims.ToJsonString()));
        _harness.Time.Advance(TimeSpan.FromDays(30));
        var later = await _harness.ValidateAsync(_harness.KubernetesKey.Sign(_harness.KubernetesClaims().ToJsonString()));

        Assert.Equal(TokenRejectionReasons.UnknownKey, result.Rejection?.Reason);
        Assert.True(later.IsValid, "pasted keys never go stale");
    }

    [Fact]
    public async Task ValidateAsync_JwksFileRotated_IsAcceptedAfterRefresh()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, TestKey.Jwks(_harness.KubernetesKey));
            _harness.Kubernetes = _harness.Kubernetes with { Jwks = null, JwksFile = file };
            Assert.True((await _harness.ValidateAsync(_harness.KubernetesKey.Sign(_harness.KubernetesClaims().ToJsonString()))).IsValid);

            await File.WriteAllTextAsync(file, TestKey.Jwks(TestKeys.AttackerEc));
            _harness.Time.Advance(TimeSpan.FromSeconds(31));
            var rotated = await _harness.ValidateAsync(TestKeys.AttackerEc.Sign(_harness.KubernetesClaims().ToJsonString()));

            Assert.True(rotated.IsValid, rotated.Rejection?.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RefreshKeysAsync_AllProviders_ReportsKidsInHealth()
    {
        await _harness.Validator.RefreshKeysAsync(CancellationToken.None);

        var health = _harness.Validator.KeyHealth().ToDictionary(h => h.IdentityProvider);

        Assert.Equal(["gh-1"], health["github"].KeyIds);
        Assert.Equal(["gl-1"], health["gitlab"].KeyIds);
        Assert.Equal(["k8s-1"], health["k3d"].KeyIds);
        Assert.All(health.Values, h => Assert.True(h.KeysUsable));
        Assert.StartsWith("discovery http://127.0.0.1:", health["github"].Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshKeysAsync_OneProvider_FetchesOnlyItsKeys()
    {
        var known = await _harness.Validator.RefreshKeysAsync("gitlab", CancellationToken.None);
        var unknown = await _harness.Validator.RefreshKeysAsync("nope", CancellationToken.None);

        Assert.True(known);
        Assert.False(unknown);
        Assert.Equal(1, _harness.GitLabServer.Hits(GitLabJwks));
        Assert.Equal(0, _harness.GitHubServer.Hits("/github/.well-known/openid-configuration"));
        Assert.Equal(["gl-1"], _harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "gitlab").KeyIds);
    }

    [Fact]
    public async Task GetDocumentAsync_PlainHttpNotAllowed_IsRefused()
    {
        var retriever = new BoundedDocumentRetriever(_harness.Http, allowInsecureHttp: false, allowLinkLocal: false);

        await Assert.ThrowsAsync<KeySourceException>(() => retriever.GetDocumentAsync(_harness.GitLabServer.BaseUrl + GitLabJwks, CancellationToken.None));
        Assert.Equal(0, _harness.GitLabServer.Hits(GitLabJwks));
    }

    private Task<WorkloadTokenResult> ValidateGitLab(TestKey key) => _harness.ValidateAsync(key.Sign(_harness.GitLabClaims().ToJsonString()));

    private Task<WorkloadTokenResult> ValidateGitHub(TestKey key) => _harness.ValidateAsync(key.Sign(_harness.GitHubClaims().ToJsonString()));
}
