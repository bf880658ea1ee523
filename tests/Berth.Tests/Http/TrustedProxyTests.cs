using System.Net;
using Berth.Configuration;
using Berth.Tests.Auth;

namespace Berth.Tests.Http;

/// <summary>
/// <c>server.trustedProxies</c>: only a peer inside those networks may name the client (X-Forwarded-For or
/// Forwarded) for rate limits and the audit log, and the scheme and host for the token realm; the same headers
/// from anyone else change nothing. The tests' connections come from 127.0.0.1.
/// </summary>
public sealed class TrustedProxyTests
{
    private const string Loopback = "127.0.0.1/32";
    private const string Elsewhere = "10.0.0.0/8";

    [Fact]
    public async Task TokenRateLimit_ForwardedForFromTrustedProxy_EachClientHasItsOwnBucket()
    {
        await using var registry = await StartAsync(Loopback, "tokens:\n  rateLimitPerClientIp: 1\n");

        using var first = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.1"));
        using var again = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.1"));
        using var other = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.2"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TokenRateLimit_ForwardedForFromUntrustedPeer_CannotEscapeItsBucket()
    {
        await using var registry = await StartAsync(Elsewhere, "tokens:\n  rateLimitPerClientIp: 1\n");

        using var first = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.1"));
        using var spoofed = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.2"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
    }

    [Theory]
    [InlineData(Loopback, "203.0.113.7")]
    [InlineData(Elsewhere, "127.0.0.1")]
    public async Task Audit_TokenExchangeWithForwardedFor_RecordsClientOnlyFromTrustedProxy(string trusted, string recorded)
    {
        await using var registry = await StartAsync(trusted);

        using var response = await TokenAsync(registry, ("X-Forwarded-For", "203.0.113.7"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = await registry.AuditAsync(e => e.Kind == "token");
        Assert.Equal(recorded, Assert.Single(audit, e => e.Kind == "token").ClientIp);
    }

    [Fact]
    public async Task Audit_ChainOfTrustedProxies_RecordsTheFirstUntrustedAddress()
    {
        await using var registry = await StartAsync($"[{Loopback}, {Elsewhere}]");

        using var response = await TokenAsync(registry, ("X-Forwarded-For", "198.51.100.4, 203.0.113.7, 10.1.2.3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = await registry.AuditAsync(e => e.Kind == "token");
        Assert.Equal("203.0.113.7", Assert.Single(audit, e => e.Kind == "token").ClientIp);
    }

    [Theory]
    [InlineData(Loopback, "https://registry.example.com/service/token")]
    [InlineData(Elsewhere, "http://127.0.0.1:")]
    public async Task Challenge_ForwardedProtoAndHost_SetTheRealmOnlyFromTrustedProxy(string trusted, string realm)
    {
        await using var registry = await StartAsync(trusted);

        var challenge = await ChallengeAsync(registry, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "registry.example.com"), ("X-Forwarded-For", "203.0.113.7"));

        Assert.StartsWith($"Bearer realm=\"{realm}", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Loopback, "https://registry.example.com/service/token", "203.0.113.9")]
    [InlineData(Elsewhere, "http://127.0.0.1:", "127.0.0.1")]
    public async Task ForwardedHeader_Rfc7239_HonouredOnlyFromTrustedProxy(string trusted, string realm, string recorded)
    {
        await using var registry = await StartAsync(trusted);
        var forwarded = ("Forwarded", "for=203.0.113.9;proto=https;host=registry.example.com");

        var challenge = await ChallengeAsync(registry, forwarded);
        using var token = await TokenAsync(registry, forwarded);

        Assert.StartsWith($"Bearer realm=\"{realm}", challenge, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var audit = await registry.AuditAsync(e => e.Kind == "token");
        Assert.Equal(recorded, Assert.Single(audit, e => e.Kind == "token").ClientIp);
    }

    [Fact]
    public async Task ForwardedHeader_QuotedIpv6WithPort_NamesTheClient()
    {
        await using var registry = await StartAsync(Loopback);

        using var token = await TokenAsync(registry, ("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https"));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var audit = await registry.AuditAsync(e => e.Kind == "token");
        Assert.Equal("2001:db8:cafe::17", Assert.Single(audit, e => e.Kind == "token").ClientIp);
    }

    [Fact]
    public async Task ForwardedAndXForwardedTogether_FromTrustedProxy_BothIgnored()
    {
        await using var registry = await StartAsync(Loopback);

        var challenge = await ChallengeAsync(registry, ("Forwarded", "for=203.0.113.9;proto=https;host=evil.example"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "registry.example.com"));

        Assert.StartsWith("Bearer realm=\"http://127.0.0.1:", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("proxy.example.com")]
    [InlineData("10.0.0.1/8")]
    public void Load_TrustedProxyNotACidr_FailsNamingTheEntry(string entry)
    {
        var config = Path.Combine(Path.GetTempPath(), $"berth-proxies-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, $"server:\n  trustedProxies: [192.168.0.0/16, \"{entry}\"]\n");
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(config));

            Assert.Contains($"server.trustedProxies[1] '{entry}' is not a CIDR or an IP address", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Load_SingleAddresses_AreAccepted()
    {
        var config = Path.Combine(Path.GetTempPath(), $"berth-proxies-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "server:\n  trustedProxies: [192.168.1.10, \"fd00::1\", 10.0.0.0/8]\n");
        try
        {
            Assert.Equal(3, ConfigurationLoader.Load(config).Server.TrustedProxies.Count);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static Task<FederatedRegistry> StartAsync(string trusted, string extra = "") =>
        FederatedRegistry.StartAsync(config => $"server:\n  trustedProxies: {(trusted.StartsWith('[') ? trusted : $"[{trusted}]")}\n{extra}{config}");

    private static Task<HttpResponseMessage> TokenAsync(FederatedRegistry registry, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/service/token?service=berth&scope=repository:library/app/web:pull");
        request.Headers.Authorization = FederatedRegistry.Basic("not-relevant", registry.GitHubToken());
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return registry.Client.SendAsync(request);
    }

    private static async Task<string> ChallengeAsync(FederatedRegistry registry, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return response.Headers.WwwAuthenticate.ToString();
    }
}
