using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Tests.Admin;

namespace Berth.Tests.Auth;

/// <summary>
/// Within the registry token reuse window (a few seconds, on a clock that does not move here) the same grant
/// gets the token just signed, but the decision is made afresh at every exchange: a robot disabled, or its
/// rules or permissions changed, takes effect on the very next exchange, and every exchange is audited.
/// </summary>
public sealed class TokenReuseTests
{
    private const string AppPull = "repository:library/app/web:pull";
    private const string ApiScope = "repository:library/api/web:pull,push";

    [Fact]
    public async Task Exchange_SameGrantTwice_SameSignedTokenAndOneAuditRowEach()
    {
        await using var registry = await FederatedRegistry.StartAsync();
        var jwt = registry.GitHubToken();

        var first = await registry.TokenAsync(jwt, AppPull);
        var second = await registry.TokenAsync(jwt, AppPull);

        Assert.Equal(first, second);
        var rows = await TokenRowsAsync(registry);
        Assert.Equal(2, rows.Count(e => e.Outcome == "accepted" && e.Robots == "ci-push"));
    }

    [Fact]
    public async Task Exchange_RobotDisabledWithinReuseWindow_IsRefusedAtOnceAndAudited()
    {
        await using var admin = await AdminRegistry.StartAsync();
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        var jwt = admin.Registry.GitHubToken();
        using (var before = await admin.Registry.RequestTokenAsync(jwt, "api-push", scopes: ApiScope))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/api-push/disable")).Status);
        using var after = await admin.Registry.RequestTokenAsync(jwt, "api-push", scopes: ApiScope);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var rows = await TokenRowsAsync(admin.Registry);
        Assert.Equal(1, rows.Count(e => e.Outcome == "accepted"));
        Assert.Equal(1, rows.Count(e => e.Outcome == "refused" && e.Subject == SeedSubject(jwt)));
    }

    [Fact]
    public async Task Exchange_RulesChangedWithinReuseWindow_NoLongerMatchesAtOnce()
    {
        await using var admin = await AdminRegistry.StartAsync();
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        var jwt = admin.Registry.GitHubToken();
        await admin.Registry.TokenAsync(jwt, ApiScope);

        var (status, _) = await admin.CallAsync(HttpMethod.Put, "/api/v1/robots/api-push/rules", new object[]
        {
            new { claim = "repository_owner_id", equals = "46576199" },
            new { claim = "ref", equals = "refs/heads/release" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        using var after = await admin.Registry.RequestTokenAsync(jwt, "api-push", scopes: ApiScope);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("no robots matched your token", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_PermissionsNarrowedWithinReuseWindow_GetsTheNewGrantAtOnce()
    {
        await using var admin = await AdminRegistry.StartAsync();
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        var jwt = admin.Registry.GitHubToken();
        var before = await admin.Registry.TokenAsync(jwt, ApiScope);
        Assert.Equal(["pull", "push"], Actions(before));

        var (status, _) = await admin.CallAsync(HttpMethod.Put, "/api/v1/robots/api-push/permissions", new[]
        {
            new { project = "library", repositories = "api/**", actions = new[] { "pull" } },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var after = await admin.Registry.TokenAsync(jwt, ApiScope);

        Assert.NotEqual(before, after);
        Assert.Equal(["pull"], Actions(after));
    }

    /// <summary>
    /// The token rows of the audit log once everything before this call is written: a last, refused exchange
    /// is the marker (the writer keeps the order of the queue): the classic robot with a wrong secret.
    /// </summary>
    private static async Task<List<Berth.Access.Audit.AuditEntry>> TokenRowsAsync(FederatedRegistry registry)
    {
        const string Marker = "legacy-pull";
        using (var marker = await registry.RequestTokenAsync("wrong-secret", Marker))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, marker.StatusCode);
        }

        var entries = await registry.AuditAsync(e => e.Kind == "token" && e.Outcome == "refused" && e.Subject == Marker);
        Assert.Contains(entries, e => e.Subject == Marker);
        return [.. entries.Where(e => e.Kind == "token" && e.Subject != Marker)];
    }

    private static string SeedSubject(string jwt) => Payload(jwt).GetProperty("sub").GetString()!;

    private static string[] Actions(string registryToken) =>
        [.. Payload(registryToken).GetProperty("access")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];

    private static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[1]))).RootElement;
}
