using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Federation.Tests.Support;

namespace Berth.Tests.Auth;

/// <summary>
/// What a caller without credentials learns: reason codes about its own token, never which projects,
/// robots or identity providers exist, nor why the server could not fetch keys.
/// </summary>
public sealed class AnonymousRefusalTests : IAsyncLifetime
{
    private const string InternalIssuer = "https://idp.internal.example";
    private readonly TestKey internalKey = TestKey.Rsa("internal-1");
    private int closedPort;
    private FederatedRegistry registry = null!;

    public async Task InitializeAsync()
    {
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        }

        registry = await FederatedRegistry.StartAsync(yaml => yaml.Replace("identityProviders:\n", $$"""
            identityProviders:
              - name: secret-internal-idp
                issuer: {{InternalIssuer}}
                audiences: [{{FederatedRegistry.Audience}}]
                jwksUrl: http://127.0.0.1:{{closedPort}}/jwks
                allowInsecureHttp: true

            """, StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task Registry_AnonymousPullFromUndeclaredProject_Answers401WithoutNamingProjects()
    {
        using var response = await registry.Client.GetAsync("/v2/nowhere/app/manifests/v1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("scope=\"repository:nowhere/app:pull\"", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain("library", body, StringComparison.Ordinal);
        Assert.DoesNotContain("public-images", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenService_UnknownRobotAndWrongSecret_GetTheSameAnswer()
    {
        var wrongSecret = await RefusalAsync("berth_rs_not-the-secret", "legacy-pull");
        var unknownRobot = await RefusalAsync("berth_rs_not-the-secret", "no-such-robot");

        Assert.Equal(wrongSecret, unknownRobot);
        Assert.Contains("invalid_credentials", wrongSecret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_BasicWithUnknownRobotOrWrongSecret_GetsTheSameAnswer()
    {
        async Task<string> PullAsync(string username)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/web/tags/list");
            request.Headers.Authorization = FederatedRegistry.Basic(username, "berth_rs_not-the-secret");
            using var response = await registry.Client.SendAsync(request);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }

        Assert.Equal(await PullAsync("legacy-pull"), await PullAsync("no-such-robot"));
    }

    [Fact]
    public async Task TokenService_UnknownKid_NamesNoIdentityProvider()
    {
        var token = TestKey.Rsa("attacker").Sign(SeedClaims.GitHubAt(registry.Time.GetUtcNow()).ToJsonString());

        var refusal = await RefusalAsync(token);

        Assert.Contains("unknown_key", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("github", refusal, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TokenService_KeysCannotBeFetched_TellsTheCallerNoProviderNameOrFetchError()
    {
        var claims = SeedClaims.GitHubAt(registry.Time.GetUtcNow());
        claims["iss"] = InternalIssuer;
        var token = internalKey.Sign(claims.ToJsonString());

        var refusal = await RefusalAsync(token);

        Assert.Contains("unknown_key", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-internal-idp", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", refusal, StringComparison.OrdinalIgnoreCase);
        var audit = await registry.AuditAsync(e => e.Kind == "token" && e.Reason?.StartsWith("unknown_key", StringComparison.Ordinal) == true);
        var entry = Assert.Single(audit, e => e.Kind == "token");
        Assert.Contains("secret-internal-idp", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenService_ExpiredToken_KeepsItsReasonCode()
    {
        var token = registry.GitHubToken(c => c["exp"] = registry.Time.GetUtcNow().AddHours(-1).ToUnixTimeSeconds());

        var refusal = await RefusalAsync(token);

        Assert.Contains("token_expired", refusal, StringComparison.Ordinal);
    }

    private async Task<string> RefusalAsync(string password, string username = "not-relevant")
    {
        using var response = await registry.RequestTokenAsync(password, username, scopes: "repository:library/app/web:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("error").GetString() + " " + body.GetProperty("error_description").GetString();
    }
}
