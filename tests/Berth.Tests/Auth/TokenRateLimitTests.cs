using System.Net;

namespace Berth.Tests.Auth;

/// <summary>The token service throttles per client IP and per workload, answering 429 with Retry-After.</summary>
public sealed class TokenRateLimitTests
{
    [Fact]
    public async Task TokenService_MoreRequestsFromOneIpThanAllowed_Answers429WithRetryAfter()
    {
        await using var registry = await FederatedRegistry.StartAsync(config => "tokens:\n  rateLimitPerClientIp: 3\n" + config);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await registry.RequestTokenAsync(registry.GitHubToken());
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await registry.RequestTokenAsync(registry.GitHubToken());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Contains("TOOMANYREQUESTS", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenService_OneWorkloadOverItsLimit_IsThrottledWhileAnotherWorkloadIsNot()
    {
        await using var registry = await FederatedRegistry.StartAsync(config => "tokens:\n  rateLimitPerSubject: 2\n" + config);
        var ci = registry.GitHubToken();

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await registry.RequestTokenAsync(ci);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await registry.RequestTokenAsync(ci);
        using var otherWorkload = await registry.RequestTokenAsync(registry.KubernetesToken());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherWorkload.StatusCode);
        var audit = await registry.AuditAsync(e => e.Reason?.StartsWith("rate_limited", StringComparison.Ordinal) == true);
        Assert.Contains(audit, e => e.Reason == "rate_limited (workload)" && e.Subject == "repo:container-registry/federated-idp-examples:ref:refs/heads/main");
    }
}
