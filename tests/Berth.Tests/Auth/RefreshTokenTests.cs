using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Berth.Tests.Auth;

/// <summary>Long jobs: CI tokens expire after minutes, pushes run longer; refresh tokens bridge that, and die with their robot.</summary>
public sealed class RefreshTokenTests : IAsyncLifetime
{
    private FederatedRegistry registry = null!;

    public async Task InitializeAsync() => registry = await FederatedRegistry.StartAsync();

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task Push_WorkloadTokenExpiresMidPush_CompletesWithRefreshToken()
    {
        var refresh = await LoginAsync(registry.GitHubToken());
        var first = await RefreshAsync(refresh, "repository:library/app/web:pull,push");
        var layer = new byte[] { 1, 2, 3, 4 };
        using (var started = await SendAsync(HttpMethod.Post, $"/v2/library/app/web/blobs/uploads/?digest={FederatedRegistry.Digest(layer)}", first, new ByteArrayContent(layer)))
        {
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        }

        // The CI token (exp = iat + 300 s) is long gone; the password grant would now fail.
        registry.Time.Advance(TimeSpan.FromMinutes(20));
        using (var expired = await registry.RequestTokenAsync(registry.GitHubToken(c => c["exp"] = c["iat"]!.GetValue<long>() + 300), scopes: "repository:library/app/web:pull,push"))
        {
            Assert.Equal(HttpStatusCode.OK, expired.StatusCode); // a fresh token still works, of course
        }

        var later = await RefreshAsync(refresh, "repository:library/app/web:pull,push");
        using var pushed = await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(later));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
    }

    [Fact]
    public async Task RefreshGrant_AfterRobotDisabled_IsRefusedAtOnce()
    {
        var refresh = await LoginAsync(registry.GitHubToken());
        await RefreshAsync(refresh, "repository:library/app/web:pull");
        var config = await File.ReadAllTextAsync(registry.ConfigPath);
        await File.WriteAllTextAsync(registry.ConfigPath, config.Replace("  - name: ci-push\n", "  - name: ci-push\n    enabled: false\n", StringComparison.Ordinal));
        await registry.RestartAsync();

        using var response = await PostRefreshAsync(refresh, "repository:library/app/web:pull");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // revoked when the refresh comes first, invalid (unknown) once the start-up sweep has deleted it.
        Assert.Matches("refresh_token_(revoked|invalid)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefreshGrant_AfterRobotRulesChanged_IsRefused()
    {
        var refresh = await LoginAsync(registry.GitHubToken());
        var config = await File.ReadAllTextAsync(registry.ConfigPath);
        await File.WriteAllTextAsync(registry.ConfigPath, config.Replace("in: [push, workflow_dispatch]", "in: [push]", StringComparison.Ordinal));
        await registry.RestartAsync();

        using var response = await PostRefreshAsync(refresh, "repository:library/app/web:pull");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefreshGrant_PastRefreshLifetime_IsRefused()
    {
        var refresh = await LoginAsync(registry.GitHubToken());
        registry.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        using var response = await PostRefreshAsync(refresh, "repository:library/app/web:pull");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("refresh_token_invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshGrant_AccessTokenNeverOutlivesRefreshToken()
    {
        var refresh = await LoginAsync(registry.GitHubToken());
        registry.Time.Advance(TimeSpan.FromMinutes(58));

        using var response = await PostRefreshAsync(refresh, "repository:library/app/web:pull");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 1, 120);
    }

    private async Task<string> LoginAsync(string jwt)
    {
        using var response = await registry.RequestTokenAsync(jwt, offline: true);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("refresh_token").GetString()!;
    }

    private async Task<string> RefreshAsync(string refresh, string scope)
    {
        using var response = await PostRefreshAsync(refresh, scope);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(refresh, body.GetProperty("refresh_token").GetString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The refresh grant as skopeo sends it once an identity token is stored.</summary>
    private Task<HttpResponseMessage> PostRefreshAsync(string refresh, string scope) =>
        registry.Client.PostAsync("/service/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "containers/image",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["scope"] = scope,
            ["service"] = "berth",
            ["access_type"] = "offline",
        }));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return registry.Client.SendAsync(request);
    }
}
