using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Faults;

/// <summary>
/// An identity provider whose JWKS endpoint accepts connections and never answers (a loopback server
/// that reads the request and holds it). Time is the registry's fake clock: the configured
/// <c>fetchTimeout</c> passes when the test advances it, so no test waits for a hanging issuer.
/// </summary>
public sealed class HangingJwksTests
{
    private const string JwksPath = "/jwks";
    private const string Scope = "repository:library/app/web:pull";
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Wall-clock bound on anything that should happen at once (a slow shared CI machine included).</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Login_JwksHangsFromTheStart_FailsAfterFetchTimeoutWhileOtherProvidersLogIn()
    {
        await using var issuer = new LoopbackServer();
        issuer.Hang(JwksPath);
        await using var registry = await FederatedRegistry.StartAsync(yaml => GitHubKeysAt(yaml, issuer.BaseUrl + JwksPath));

        var hanging = registry.RequestTokenAsync(registry.GitHubToken(), scopes: Scope);
        await WaitForAsync(() => issuer.Hits(JwksPath) >= 1, "the login never asked the issuer for its keys");

        // Meanwhile, another provider's workloads log in as usual.
        using (var other = await registry.RequestTokenAsync(registry.KubernetesToken(), scopes: Scope).WaitAsync(Promptly))
        {
            Assert.True(other.StatusCode == HttpStatusCode.OK, await other.Content.ReadAsStringAsync());
        }

        Assert.False(hanging.IsCompleted, "the login did not wait for the issuer's keys");
        registry.Time.Advance(FetchTimeout);
        using var refused = await hanging.WaitAsync(Promptly);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("unknown_key", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Login_JwksHangsAfterKeysWereFetched_KeepsValidatingWithCachedKeys()
    {
        await using var issuer = new LoopbackServer();
        await using var registry = await FederatedRegistry.StartAsync(yaml => GitHubKeysAt(yaml, issuer.BaseUrl + JwksPath));
        issuer.Serve(JwksPath, TestKey.Jwks(registry.GitHubKey));
        registry.Time.Advance(TimeSpan.FromSeconds(31)); // past a failed fetch at start-up, if one ran before Serve
        await registry.TokenAsync(registry.GitHubToken(), Scope);

        issuer.Hang(JwksPath);
        var hits = issuer.Hits(JwksPath);
        registry.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)); // the hourly refresh is due
        var refreshing = registry.RequestTokenAsync(registry.GitHubToken(), scopes: Scope);
        await WaitForAsync(() => issuer.Hits(JwksPath) > hits, "the hourly refresh never asked the issuer");

        // While that refresh hangs, the same provider's other logins use the keys fetched before, at once.
        using (var cached = await registry.RequestTokenAsync(registry.GitHubToken(), scopes: Scope).WaitAsync(Promptly))
        {
            Assert.True(cached.StatusCode == HttpStatusCode.OK, await cached.Content.ReadAsStringAsync());
        }

        using (var other = await registry.RequestTokenAsync(registry.KubernetesToken(), scopes: Scope).WaitAsync(Promptly))
        {
            Assert.True(other.StatusCode == HttpStatusCode.OK, await other.Content.ReadAsStringAsync());
        }

        // The login that started the refresh gives up on it after fetchTimeout and is served from the cache too.
        registry.Time.Advance(FetchTimeout);
        using var refreshed = await refreshing.WaitAsync(Promptly);
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, await refreshed.Content.ReadAsStringAsync());
    }

    /// <summary>The github provider fetches its keys from <paramref name="jwksUrl"/> (plain http on loopback), with a short fetchTimeout.</summary>
    private static string GitHubKeysAt(string yaml, string jwksUrl) =>
        new Regex("jwks: '[^']*'").Replace(
            yaml,
            $"jwksUrl: {jwksUrl}\n    allowInsecureHttp: true\n    fetchTimeout: {FetchTimeout:c}",
            count: 1);

    private static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Promptly, failure);
            await Task.Delay(20);
        }
    }
}
