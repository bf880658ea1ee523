using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;
using Berth.Federation.Tokens;

namespace Berth.Federation.Tests.Tokens;

public sealed class WorkloadTokenValidatorTests : IAsyncLifetime
{
    private readonly FederationHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ValidateAsync_GitHubSeedTokenViaDiscovery_IsAccepted()
    {
        var result = await _harness.ValidateAsync(_harness.GitHubKey.Sign(_harness.GitHubClaims().ToJsonString()));

        Assert.True(result.IsValid, result.Rejection?.Message);
        Assert.Equal("github", result.Token.IdentityProvider);
        Assert.Equal(SeedClaims.GitHubIssuer, result.Token.Issuer);
        Assert.Equal("repo:container-registry/federated-idp-examples:ref:refs/heads/main", result.Token.Subject);
        Assert.Equal("6cf8862b-b832-4372-9998-22026ecd21a1", result.Token.Jti);
        Assert.Equal([SeedClaims.Audience], result.Token.Audiences);
        Assert.Equal("46576199", result.Token.Claims.GetProperty("repository_owner_id").GetString());
    }

    [Fact]
    public async Task ValidateAsync_GitLabSeedTokenViaJwksUrl_IsAccepted()
    {
        var result = await _harness.ValidateAsync(_harness.GitLabKey.Sign(_harness.GitLabClaims().ToJsonString()));

        Assert.True(result.IsValid, result.Rejection?.Message);
        Assert.Equal("gitlab", result.Token.IdentityProvider);
        Assert.Equal("aeb1491b-8988-49b5-ada0-2e372973b18e", result.Token.Jti);
        Assert.Equal(47561171, result.Token.Claims.GetProperty("runner_id").GetInt64());
    }

    [Fact]
    public async Task ValidateAsync_KubernetesSeedTokenViaPastedJwks_IsAccepted()
    {
        var result = await _harness.ValidateAsync(_harness.KubernetesKey.Sign(_harness.KubernetesClaims().ToJsonString()));

        Assert.True(result.IsValid, result.Rejection?.Message);
        Assert.Equal("k3d", result.Token.IdentityProvider);
        Assert.Equal("system:serviceaccount:default:default", result.Token.Subject);
        Assert.Equal("default", result.Token.Claims.GetProperty("kubernetes.io").GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task ValidateAsync_TokenWithoutKid_TriesTheProvidersKeys()
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var jwt = _harness.GitHubKey.SignRaw(header.ToJsonString(), _harness.GitHubClaims().ToJsonString());

        var result = await _harness.ValidateAsync(jwt);

        Assert.True(result.IsValid, result.Rejection?.Message);
    }

    [Fact]
    public async Task ValidateAsync_TrailingNewline_IsAccepted()
    {
        var result = await _harness.ValidateAsync(_harness.GitLabKey.Sign(_harness.GitLabClaims().ToJsonString()) + "\n");

        Assert.True(result.IsValid, result.Rejection?.Message);
    }

    [Fact]
    public async Task ValidateAsync_ExpiredWithinClockSkew_IsAccepted()
    {
        var claims = _harness.GitHubClaims();
        _harness.Time.Advance(TimeSpan.FromSeconds(290 + 30));

        var result = await _harness.ValidateAsync(_harness.GitHubKey.Sign(claims.ToJsonString()));

        Assert.True(result.IsValid, result.Rejection?.Message);
    }

    [Fact]
    public async Task ValidateAsync_ExpiredBeyondClockSkew_IsTokenExpired()
    {
        var claims = _harness.GitHubClaims();
        _harness.Time.Advance(TimeSpan.FromSeconds(290 + 61));

        var result = await _harness.ValidateAsync(_harness.GitHubKey.Sign(claims.ToJsonString()));

        Assert.Equal(TokenRejectionReasons.TokenExpired, result.Rejection?.Reason);
    }

    [Fact]
    public async Task ValidateAsync_Rejection_CarriesClaimedIdentityForAudit()
    {
        var claims = _harness.GitHubClaims();
        claims["aud"] = "someone-else";

        var result = await _harness.ValidateAsync(_harness.GitHubKey.Sign(claims.ToJsonString()));

        Assert.Equal(TokenRejectionReasons.AudienceMismatch, result.Rejection?.Reason);
        Assert.Equal(SeedClaims.GitHubIssuer, result.Rejection!.ClaimedIssuer);
        Assert.Equal("6cf8862b-b832-4372-9998-22026ecd21a1", result.Rejection.ClaimedJti);
    }

    [Fact]
    public async Task ValidateAsync_AudienceArrayWithOneOfOurs_IsAccepted()
    {
        var claims = _harness.KubernetesClaims();
        claims["aud"] = new JsonArray("https://kubernetes.default.svc.cluster.local", SeedClaims.Audience);

        var result = await _harness.ValidateAsync(_harness.KubernetesKey.Sign(claims.ToJsonString()));

        Assert.True(result.IsValid, result.Rejection?.Message);
        Assert.Equal(2, result.Token.Audiences.Count);
    }

    [Fact]
    public void ReadUnverifiedClaims_AnyParsableToken_ReturnsPayload()
    {
        var jwt = _harness.GitHubKey.Sign(_harness.GitHubClaims().ToJsonString());

        var claims = WorkloadTokenValidator.ReadUnverifiedClaims(jwt);

        Assert.Equal("container-registry", claims?.GetProperty("repository_owner").GetString());
        Assert.Null(WorkloadTokenValidator.ReadUnverifiedClaims("not-a-token"));
    }

    [Fact]
    public void Constructor_InvalidProvider_ThrowsNamingTheField()
    {
        var bad = _harness.GitHub with { Audiences = [] };

        var error = Assert.Throws<ArgumentException>(() => new WorkloadTokenValidator([bad], _harness.Http, _harness.Time, null));

        Assert.Contains("identityProviders[github].audiences", error.Message, StringComparison.Ordinal);
    }
}
