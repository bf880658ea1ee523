using System.Net;
using System.Text.Json;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>The anonymous public listing: public projects only, nothing but names and tags, rate limited per client IP.</summary>
public sealed class PublicRepositoriesApiTests
{
    [Fact]
    public async Task Anonymous_PublicAndPrivateProjects_ListsOnlyThePublicProject()
    {
        await using var admin = await AdminRegistry.StartAsync();

        using var response = await admin.Client.GetAsync("/api/v1/public/repositories");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var projects = JsonDocument.Parse(body).RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["public-images"], projects);
        Assert.DoesNotContain("library", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_OverThePerClientIpBudget_Returns429WithRetryAfter()
    {
        await using var admin = await AdminRegistry.StartAsync(yaml => "tokens:\n  rateLimitPerClientIp: 2\n" + yaml);

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await admin.Client.GetAsync("/api/v1/public/repositories");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await admin.Client.GetAsync("/api/v1/public/repositories");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}
