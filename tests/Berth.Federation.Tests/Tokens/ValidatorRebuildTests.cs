using Berth.Federation.Tests.Support;
using Berth.Federation.Tokens;

namespace Berth.Federation.Tests.Tokens;

/// <summary>
/// <see cref="WorkloadTokenValidator.WithIdentityProviders"/>: editing one identity provider keeps the other
/// providers' key caches (no refetch, and they keep working while their issuer is down).
/// </summary>
public sealed class ValidatorRebuildTests : IAsyncLifetime
{
    private const string GitLabJwks = "/gitlab/jwks";
    private readonly FederationHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task WithIdentityProviders_OtherProviderChanged_KeepsKeysOfUnchangedProviderThroughAnOutage()
    {
        Assert.True((await _harness.ValidateAsync(GitLabToken())).IsValid);
        await _harness.GitLabServer.StopAsync();

        var rebuilt = _harness.Validator.WithIdentityProviders(
            [_harness.GitHub, _harness.GitLab, _harness.Kubernetes with { Audiences = ["registry.example.com"] }]);
        var result = await rebuilt.ValidateAsync(GitLabToken(), CancellationToken.None);

        Assert.True(result.IsValid, result.Rejection?.Message);
        Assert.Equal(1, _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public async Task WithIdentityProviders_ProviderItselfChanged_StartsItsKeyCacheAfreshAndAppliesTheChange()
    {
        Assert.True((await _harness.ValidateAsync(GitLabToken())).IsValid);

        var rebuilt = _harness.Validator.WithIdentityProviders(
            [_harness.GitHub, _harness.GitLab with { Audiences = ["registry.example.com"] }, _harness.Kubernetes]);
        var result = await rebuilt.ValidateAsync(GitLabToken(), CancellationToken.None);

        Assert.Equal(TokenRejectionReasons.AudienceMismatch, result.Rejection?.Reason);
        Assert.Equal(2, _harness.GitLabServer.Hits(GitLabJwks));
    }

    [Fact]
    public void WithIdentityProviders_NothingChanged_ReturnsTheSameValidator() =>
        Assert.Same(_harness.Validator, _harness.Validator.WithIdentityProviders(
            [_harness.Kubernetes, _harness.GitHub with { Audiences = [.. _harness.GitHub.Audiences] }, _harness.GitLab]));

    private string GitLabToken() => _harness.GitLabKey.Sign(_harness.GitLabClaims().ToJsonString());
}
