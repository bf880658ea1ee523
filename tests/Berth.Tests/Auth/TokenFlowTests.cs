using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Federation.Tests.Support;

namespace Berth.Tests.Auth;

/// <summary>The user's path: challenge, docker login with a workload JWT, push and pull with registry tokens.</summary>
public sealed class TokenFlowTests : IAsyncLifetime
{
    private FederatedRegistry registry = null!;

    public async Task InitializeAsync() => registry = await FederatedRegistry.StartAsync();

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task VersionCheck_WithoutCredentials_ChallengesTowardsTokenService()
    {
        using var response = await registry.Client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"realm=\"{registry.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}/service/token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("service=\"berth\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task DockerLogin_WithMatchingGitHubToken_ReturnsTokenAndRefreshTokenThatOpenV2()
    {
        using var response = await registry.RequestTokenAsync(registry.GitHubToken(), offline: true);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(token, body.GetProperty("access_token").GetString());
        Assert.StartsWith("berth_rt_", body.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        Assert.Equal(3600, body.GetProperty("refresh_expires_in").GetInt64());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 60, 300);
        using var ping = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        ping.Headers.Authorization = FederatedRegistry.Bearer(token);
        using var pinged = await registry.Client.SendAsync(ping);
        Assert.Equal(HttpStatusCode.OK, pinged.StatusCode);
    }

    [Fact]
    public async Task Push_WithinRobotPermissions_SucceedsAndIsAudited()
    {
        var token = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull,push");

        using var pushed = await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(token));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var audit = await registry.AuditAsync(e => e.Kind == "push");
        var push = Assert.Single(audit, e => e.Kind == "push");
        Assert.Equal("accepted", push.Outcome);
        Assert.Equal("library/app/web", push.Repository);
        Assert.Equal("ci-push", push.Robots);
        Assert.Equal("repo:container-registry/federated-idp-examples:ref:refs/heads/main", push.Subject);
        var exchange = Assert.Single(audit, e => e.Kind == "token");
        Assert.Equal("6cf8862b-b832-4372-9998-22026ecd21a1", exchange.TokenId);
        Assert.DoesNotContain(audit, e => (e.Reason ?? string.Empty).Contains("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_TemplatedRepositoryFromClaims_IsGrantedOnlyForOwnPath()
    {
        var token = await registry.TokenAsync(
            registry.GitHubToken(),
            "repository:library/ci/container-registry/federated-idp-examples:pull,push",
            "repository:library/ci/someone-else/app:pull,push");

        using var own = await registry.PushImageAsync("library/ci/container-registry/federated-idp-examples", "v1", FederatedRegistry.Bearer(token));
        using var other = await registry.PushImageAsync("library/ci/someone-else/app", "v1", FederatedRegistry.Bearer(token));

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Push_OutsideRobotPermissions_IsDeniedWhilePullWorks()
    {
        var pusher = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull,push");
        using (var pushed = await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(pusher)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        var cluster = await registry.TokenAsync(registry.KubernetesToken(), "repository:library/app/web:pull,push");

        using var denied = await registry.PushImageAsync("library/app/web", "v2", FederatedRegistry.Bearer(cluster));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("insufficient_scope", denied.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        Assert.Contains("DENIED", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var pull = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/web/manifests/v1");
        pull.Headers.Authorization = FederatedRegistry.Bearer(cluster);
        using var pulled = await registry.Client.SendAsync(pull);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
    }

    [Fact]
    public async Task Login_TokenMatchingNoRobot_IsRefusedWithDocumentedMessageAndAudited()
    {
        var stranger = registry.GitHubToken(claims => claims["repository"] = "someone/else");

        using var response = await registry.RequestTokenAsync(stranger, scopes: "repository:library/app/web:pull");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("no robots matched your token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("repository_owner_id", body, StringComparison.Ordinal);
        var audit = await registry.AuditAsync(e => e.Outcome == "refused");
        var refused = Assert.Single(audit, e => e.Kind == "token");
        Assert.Equal("no_robot_matched", refused.Reason);
        Assert.Equal(SeedClaims.GitHubIssuer, refused.Issuer);
    }

    [Fact]
    public async Task Login_ExpiredToken_IsRefusedWithReasonCode()
    {
        var token = registry.GitHubToken();
        registry.Time.Advance(TimeSpan.FromMinutes(10));

        using var response = await registry.RequestTokenAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("token_expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2_WorkloadJwtAsBearer_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/web/tags/list");
        request.Headers.Authorization = FederatedRegistry.Bearer(registry.GitHubToken());

        using var response = await registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_RegistryTokenAsPassword_IsRefused()
    {
        var registryToken = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull");

        using var response = await registry.RequestTokenAsync(registryToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task V2_BasicAuthWithJwtOrClassicSecret_Works()
    {
        var pusher = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull,push");
        using (var pushed = await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(pusher)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        foreach (var (user, password, expected) in new[]
        {
            ("not-relevant", registry.KubernetesToken(), HttpStatusCode.OK),
            ("legacy-pull", FederatedRegistry.ClassicSecret, HttpStatusCode.OK),
            ("legacy-pull", "berth_rs_wrong", HttpStatusCode.Unauthorized),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/web/manifests/v1");
            request.Headers.Authorization = FederatedRegistry.Basic(user, password);
            using var response = await registry.Client.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Fact]
    public async Task Pull_PublicProjectWithoutCredentials_Works_PrivateProjectChallenges()
    {
        var pusher = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull,push");
        using (await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(pusher)))
        {
        }

        using var anonymousToken = await registry.RequestTokenAsync(null, scopes: "repository:public-images/base:pull");
        Assert.Equal(HttpStatusCode.OK, anonymousToken.StatusCode);
        using var publicTags = await registry.Client.GetAsync("/v2/public-images/base/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, publicTags.StatusCode); // allowed, just empty
        using var privatePull = await registry.Client.GetAsync("/v2/library/app/web/manifests/v1");
        Assert.Equal(HttpStatusCode.Unauthorized, privatePull.StatusCode);
        Assert.Contains("scope=\"repository:library/app/web:pull\"", privatePull.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repository_OutsideDeclaredProjects_IsUnknown()
    {
        var token = await registry.TokenAsync(registry.GitHubToken(), "repository:nowhere/app:pull,push");

        using var pushed = await registry.PushImageAsync("nowhere/app", "v1", FederatedRegistry.Bearer(token));

        Assert.Equal(HttpStatusCode.NotFound, pushed.StatusCode);
        Assert.Contains("NAME_UNKNOWN", await pushed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRequest_StarAction_GrantsRobotsActions()
    {
        using var response = await registry.RequestTokenAsync(registry.GitHubToken(), scopes: "repository:library/app/web:*");
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        var payload = JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[1]))).RootElement;
        var actions = payload.GetProperty("access")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["pull", "push", "delete"], actions);
    }

    [Fact]
    public async Task DockerLogin_Answer_IsSentWithContentLengthAndHoldsOnlyTheFieldsThatApply()
    {
        using var response = await registry.RequestTokenAsync(registry.GitHubToken(), scopes: "repository:library/app/web:pull");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var body = JsonDocument.Parse(bytes).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(
            registry.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            body.GetProperty("issued_at").GetString());
        Assert.Equal(["token", "access_token", "expires_in", "issued_at"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task OAuthPost_ChunkedFormWithRepeatedAndSpacedScopes_IssuesGrantedScopes()
    {
        var form = $"grant_type=password&username=jwt&password={registry.KubernetesToken()}&service=berth&client_id=containerd-client" +
            "&scope=repository%3Alibrary%2Fa%3Apull&scope=repository%3Alibrary%2Fb%3Apull+repository%3Alibrary%2Fc%3Apull%2Cpush";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(form)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/token") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await registry.Client.SendAsync(request);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("repository:library/a:pull repository:library/b:pull repository:library/c:pull", body.GetProperty("scope").GetString());
        Assert.NotNull(body.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task Jwks_PublishesRegistrySigningKeyMatchingTokenKid()
    {
        var token = await registry.TokenAsync(registry.GitHubToken());
        var header = JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[0]))).RootElement;

        var jwks = JsonDocument.Parse(await registry.Client.GetStringAsync("/service/jwks.json")).RootElement;

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(header.GetProperty("kid").GetString(), key.GetProperty("kid").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
