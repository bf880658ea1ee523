using System.Net;
using System.Net.Http.Json;
using Berth.Auth.Admin;
using Berth.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Admin;

/// <summary>Only admin credentials open /api/v1: the bootstrap password and admin tokens, never registry or workload tokens.</summary>
public sealed class AdminAuthTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync();

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Api_NoCredentials_Returns401WithWhatToSend()
    {
        using var response = await admin.Client.GetAsync("/api/v1/robots");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("berth_at_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_BootstrapPassword_IsAccepted()
    {
        var (status, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", AdminRegistry.Password));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Api_WrongPassword_Returns401()
    {
        var (status, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", "guess"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Api_RegistryToken_Returns401()
    {
        var registryToken = await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/app/web:pull");

        var (status, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Bearer(registryToken));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Api_WorkloadJwt_Returns401AsBearerAndAsPassword()
    {
        var jwt = admin.Registry.GitHubToken();

        var (bearer, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Bearer(jwt));
        var (basic, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", jwt));
        var (robotSecret, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("legacy-pull", FederatedRegistry.ClassicSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, bearer);
        Assert.Equal(HttpStatusCode.Unauthorized, basic);
        Assert.Equal(HttpStatusCode.Unauthorized, robotSecret);
    }

    [Fact]
    public async Task Tokens_CreateListRevoke_RevokedTokenReturns401()
    {
        var (created, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "ci-admin" });
        Assert.Equal(HttpStatusCode.Created, created);
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("berth_at_", token, StringComparison.Ordinal);

        var (_, list) = await admin.CallAsync(HttpMethod.Get, "/api/v1/tokens");
        Assert.Equal(["ci-admin", "test-admin"], list.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.DoesNotContain("berth_at_", list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots", authorization: FederatedRegistry.Bearer(token))).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/tokens/ci-admin")).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots", authorization: FederatedRegistry.Bearer(token))).Status);
    }

    [Fact]
    public async Task Tokens_PastExpiry_Returns401()
    {
        var (_, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "short", expiresIn = "1h" });
        var token = FederatedRegistry.Bearer(body.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots", authorization: token)).Status);

        admin.Registry.Time.Advance(TimeSpan.FromMinutes(61));

        var (status, refusal) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots", authorization: token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", refusal.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_SameNameTwice_Returns409()
    {
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "twice" })).Status);

        Assert.Equal(HttpStatusCode.Conflict, (await admin.CallAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "twice" })).Status);
    }

    [Fact]
    public async Task AdminCalls_ChangesAndRefusedCredentials_AreAuditedButReadsAreNot()
    {
        await admin.CallAsync(HttpMethod.Get, "/api/v1/projects");
        await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "audited" });
        await admin.CallAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", "guess"));

        var entries = await admin.Registry.AuditAsync(e => e.Kind == "admin" && e.Outcome == "refused");
        entries = await admin.Registry.AuditAsync(e => e.Reason == "POST /api/v1/projects 201");

        Assert.Contains(entries, e => e.Kind == "admin" && e.Outcome == "accepted" && e.Subject == "test-admin" && e.Reason == "POST /api/v1/projects 201");
        Assert.Contains(entries, e => e.Kind == "admin" && e.Outcome == "refused" && e.Subject == null && e.Reason == "GET /api/v1/projects 401");
        Assert.DoesNotContain(entries, e => e.Reason == "GET /api/v1/projects 200");
    }

    [Fact]
    public async Task AdminReads_AuditAdminReadsOn_AreAudited()
    {
        await using var auditing = await AdminRegistry.StartAsync(yaml => "server:\n  auditAdminReads: true\n" + yaml);

        await auditing.CallAsync(HttpMethod.Get, "/api/v1/projects");

        var entries = await auditing.Registry.AuditAsync(e => e.Reason == "GET /api/v1/projects 200");
        Assert.Contains(entries, e => e.Kind == "admin" && e.Outcome == "accepted" && e.Reason == "GET /api/v1/projects 200");
    }

    [Fact]
    public async Task OpenApi_Document_ListsAdminRoutes()
    {
        using var response = await admin.Client.GetAsync("/api/v1/openapi.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/v1/robots/{name}/disable", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/v2/", text, StringComparison.Ordinal);
    }
}

/// <summary>Without BERTH_ADMIN_PASSWORD the first start generates a password and logs it once.</summary>
public sealed class AdminBootstrapTests
{
    [Fact]
    public async Task Bootstrap_NoPassword_GeneratesOneThatLogsInAndIsNotRegeneratedOnRestart()
    {
        var logs = new CapturingLoggerProvider();
        await using var registry = await FederatedRegistry.StartAsync(null, services =>
        {
            services.AddSingleton(new AdminBootstrapOptions(null));
            services.AddSingleton<ILoggerProvider>(logs);
        });
        var line = Assert.Single(logs.Messages, m => m.Contains("generated administrator password", StringComparison.Ordinal));
        var password = line[(line.LastIndexOf(' ') + 1)..];

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "first" }) };
        request.Headers.Authorization = FederatedRegistry.Basic("admin", password);
        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        await registry.RestartAsync();
        Assert.Single(logs.Messages, m => m.Contains("generated administrator password", StringComparison.Ordinal));
    }
}
