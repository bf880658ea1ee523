using System.Net;
using System.Text.Json;
using Berth.Access.Refresh;
using Berth.Federation.Tests.Support;
using Berth.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Auth;

/// <summary>Refresh tokens die with the keys and robots that bought them, and on an administrator's word.</summary>
public sealed class RefreshTokenRevocationTests
{
    private const string Scope = "repository:library/app/web:pull";

    [Fact]
    public async Task RefreshGrant_ConfigRobotDisabledThenEnabledAcrossRestarts_StaysRevoked()
    {
        await using var registry = await FederatedRegistry.StartAsync();
        var refresh = await LoginAsync(registry, registry.GitHubToken());
        var config = await File.ReadAllTextAsync(registry.ConfigPath);
        await File.WriteAllTextAsync(registry.ConfigPath, config.Replace("  - name: ci-push\n", "  - name: ci-push\n    enabled: false\n", StringComparison.Ordinal));
        await registry.RestartAsync();
        await WaitUntilGoneAsync(registry, refresh);

        // Nobody used the token while the robot was disabled; enabling it again must not revive it.
        await File.WriteAllTextAsync(registry.ConfigPath, config);
        await registry.RestartAsync();
        using var response = await PostRefreshAsync(registry, refresh);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("refresh_token_invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshGrant_AfterSyncedKeysReset_IsRefused()
    {
        await using var admin = await KeySyncApiTests.StartAsync();
        var registry = admin.Registry;
        using var added = TestKey.Ec("k8s-2");
        using (var sync = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, added), KeySyncApiTests.SyncToken(registry, registry.KubernetesKey)))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        }

        var refresh = await LoginAsync(registry, added.Sign(SeedClaims.KubernetesAt(registry.Time.GetUtcNow()).ToJsonString()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, "/api/v1/identity-providers/k3d/jwks")).StatusCode);

        using var response = await PostRefreshAsync(registry, refresh);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("robot=ci-push")]
    [InlineData("subject=repo%3Acontainer-registry%2Ffederated-idp-examples%3Aref%3Arefs%2Fheads%2Fmain")]
    [InlineData("issuer=https%3A%2F%2Ftoken.actions.githubusercontent.com")]
    public async Task RevokeApi_ByRobotSubjectOrIssuer_RefreshIsRefused(string query)
    {
        await using var admin = await AdminRegistry.StartAsync();
        var refresh = await LoginAsync(admin.Registry, admin.Registry.GitHubToken());

        var (status, body) = await admin.CallAsync(HttpMethod.Delete, "/api/v1/refresh-tokens?" + query);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("revoked").GetInt32());
        using var response = await PostRefreshAsync(admin.Registry, refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokeApi_NoOrTwoSelectors_Returns400()
    {
        await using var admin = await AdminRegistry.StartAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/refresh-tokens")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/refresh-tokens?robot=a&issuer=b")).Status);
    }

    [Fact]
    public async Task TokenRevokeCli_Robot_RevokesItsRefreshTokens()
    {
        await using var cli = await AdminCli.StartAsync();
        await cli.LoginAsync();
        var registry = cli.Admin.Registry;
        var refresh = await LoginAsync(registry, registry.GitHubToken());

        var revoke = await cli.RunAsync(null, "token", "revoke", "--robot", "ci-push");

        Assert.True(revoke.ExitCode == 0, revoke.Error);
        Assert.Contains("revoked 1 refresh tokens of robot ci-push", revoke.Output, StringComparison.Ordinal);
        using var response = await PostRefreshAsync(registry, refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Purge_ExpiredRefreshToken_IsDeletedInTheBackground()
    {
        await using var registry = await FederatedRegistry.StartAsync();
        var refresh = await LoginAsync(registry, registry.GitHubToken());
        Assert.NotNull(await Store(registry).FindRefreshTokenAsync(RefreshTokens.Hash(refresh), CancellationToken.None));

        // Past the robot's refresh lifetime (1 h), then one purge interval on the driven clock.
        registry.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        registry.Time.Advance(TimeSpan.FromMinutes(10));

        await WaitUntilGoneAsync(registry, refresh);
    }

    private static IRefreshTokenStore Store(FederatedRegistry registry) => registry.Services.GetRequiredService<IRefreshTokenStore>();

    /// <summary>Background work finishes soon after the clock moves; bounded, never sleeping on the clock itself.</summary>
    private static async Task WaitUntilGoneAsync(FederatedRegistry registry, string refresh)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await Store(registry).FindRefreshTokenAsync(RefreshTokens.Hash(refresh), CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refresh token is still stored");
            await Task.Delay(50);
        }
    }

    private static async Task<string> LoginAsync(FederatedRegistry registry, string jwt)
    {
        using var response = await registry.RequestTokenAsync(jwt, offline: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var refresh = JsonDocument.Parse(text).RootElement.GetProperty("refresh_token").GetString()!;
        using var check = await PostRefreshAsync(registry, refresh);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        return refresh;
    }

    private static Task<HttpResponseMessage> PostRefreshAsync(FederatedRegistry registry, string refresh) =>
        registry.Client.PostAsync("/service/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "containers/image",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["scope"] = Scope,
            ["service"] = "berth",
        }));

    private static Task<HttpResponseMessage> SyncAsync(FederatedRegistry registry, string jwks, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/identity-providers/k3d/jwks") { Content = new StringContent(jwks, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = FederatedRegistry.Bearer(token);
        return registry.Client.SendAsync(request);
    }
}
