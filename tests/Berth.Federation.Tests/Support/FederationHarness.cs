using System.Text.Json.Nodes;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Federation.Tests.Support;

/// <summary>
/// Three identity providers as the seed document has them, each with a different key source:
/// github (OIDC discovery over loopback HTTP, RSA), gitlab (JWKS URL over loopback HTTP, RSA) and
/// k3d (pasted JWKS, EC). Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class FederationHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 11, 25, 17, 0, 0, TimeSpan.Zero);

    private WorkloadTokenValidator? _validator;

    public FederationHarness()
    {
        GitHubServer.Serve("/github/.well-known/openid-configuration", new JsonObject
        {
            ["issuer"] = SeedClaims.GitHubIssuer,
            ["jwks_uri"] = GitHubServer.BaseUrl + "/github/jwks",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }.ToJsonString());
        GitHubServer.Serve("/github/jwks", TestKey.Jwks(GitHubKey));
        GitLabServer.Serve("/gitlab/jwks", TestKey.Jwks(GitLabKey));
        GitHub = new IdentityProviderOptions
        {
            Name = "github",
            Issuer = SeedClaims.GitHubIssuer,
            Audiences = [SeedClaims.Audience],
            DiscoveryUrl = GitHubServer.BaseUrl + "/github/.well-known/openid-configuration",
            AllowInsecureHttp = true,
        };
        GitLab = new IdentityProviderOptions
        {
            Name = "gitlab",
            Issuer = SeedClaims.GitLabIssuer,
            Audiences = [SeedClaims.Audience],
            JwksUrl = GitLabServer.BaseUrl + "/gitlab/jwks",
            AllowInsecureHttp = true,
        };
        Kubernetes = new IdentityProviderOptions
        {
            Name = "k3d",
            Issuer = SeedClaims.KubernetesIssuer,
            Audiences = [SeedClaims.Audience],
            Jwks = TestKey.Jwks(KubernetesKey),
        };
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public HttpClient Http { get; } = new();

    public LoopbackServer GitHubServer { get; } = new();

    public LoopbackServer GitLabServer { get; } = new();

    public TestKey GitHubKey => TestKeys.GitHub;

    public TestKey GitLabKey => TestKeys.GitLab;

    public TestKey KubernetesKey => TestKeys.Kubernetes;

    public IdentityProviderOptions GitHub { get; set; }

    public IdentityProviderOptions GitLab { get; set; }

    public IdentityProviderOptions Kubernetes { get; set; }

    /// <summary>Built on first use from the current options.</summary>
    public WorkloadTokenValidator Validator => _validator ??= new WorkloadTokenValidator([GitHub, GitLab, Kubernetes], Http, Time, null);

    public JsonObject GitHubClaims() => SeedClaims.GitHubAt(Time.GetUtcNow());

    public JsonObject GitLabClaims() => SeedClaims.GitLabAt(Time.GetUtcNow());

    public JsonObject KubernetesClaims() => SeedClaims.KubernetesAt(Time.GetUtcNow());

    public Task<WorkloadTokenResult> ValidateAsync(string jwt) => Validator.ValidateAsync(jwt, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await GitHubServer.DisposeAsync();
        await GitLabServer.DisposeAsync();
        Http.Dispose();
    }
}
