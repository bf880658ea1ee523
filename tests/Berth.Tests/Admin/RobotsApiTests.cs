using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>Robots managed through the API take effect on the next request, and config-declared ones refuse changes.</summary>
public sealed class RobotsApiTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync();

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Create_FederatedRobot_MatchingJwtPushesThroughTokenService()
    {
        var (created, robot) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("api", robot.GetProperty("managedBy").GetString());

        var token = await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/api/web:pull,push");
        using var pushed = await admin.Registry.PushImageAsync("library/api/web", "v1", FederatedRegistry.Bearer(token));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
    }

    [Fact]
    public async Task Create_AfterRestart_RobotIsStillThere()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));

        await admin.Registry.RestartAsync();

        var (status, robot) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/api-push");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("46576199", robot.GetProperty("rules")[0].GetProperty("equals").GetString());
    }

    [Fact]
    public async Task Disable_RobotWithIssuedTokens_RegistryTokenAndRefreshTokenFailOnNextRequest()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        using var login = await admin.Registry.RequestTokenAsync(admin.Registry.GitHubToken(), offline: true, scopes: "repository:library/api/web:pull,push");
        var grant = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement;
        var registryToken = grant.GetProperty("token").GetString()!;
        var refreshToken = grant.GetProperty("refresh_token").GetString()!;
        using (var before = await admin.Registry.PushImageAsync("library/api/web", "v1", FederatedRegistry.Bearer(registryToken)))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        var (disabled, robot) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/api-push/disable");
        Assert.Equal(HttpStatusCode.OK, disabled);
        Assert.False(robot.GetProperty("enabled").GetBoolean());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/api/web/manifests/v1");
        request.Headers.Authorization = FederatedRegistry.Bearer(registryToken);
        using var pull = await admin.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, pull.StatusCode);
        Assert.Contains("robot_disabled", await pull.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var refreshed = await admin.Client.PostAsync("/service/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["service"] = "berth",
            ["scope"] = "repository:library/api/web:pull",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);
    }

    [Fact]
    public async Task Delete_Robot_MatchingJwtNoLongerGetsItsPermissions()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/api-push")).Status);

        using var response = await admin.Registry.RequestTokenAsync(admin.Registry.GitHubToken(), scopes: "repository:library/api/web:push");
        var granted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using var push = await admin.Registry.PushImageAsync("library/api/web", "v1", FederatedRegistry.Bearer(granted));
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/api-push")).Status);
    }

    [Fact]
    public async Task Change_ConfigDeclaredRobot_Returns409SayingToEditTheFile()
    {
        var (list, robots) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots");
        Assert.Equal(HttpStatusCode.OK, list);
        Assert.All(robots.EnumerateArray(), r => Assert.Equal("config", r.GetProperty("managedBy").GetString()));

        var (disable, refusal) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/ci-push/disable");
        var (delete, _) = await admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/ci-push");
        var (create, _) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("ci-push"));

        Assert.Equal(HttpStatusCode.Conflict, disable);
        Assert.Equal(HttpStatusCode.Conflict, delete);
        Assert.Equal(HttpStatusCode.Conflict, create);
        Assert.Contains("edit the file", refusal.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnpinnedRobotOnSharedIssuer_Returns400WithGuardMessage()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "too-broad",
            identityProvider = "github",
            rules = new[] { new { claim = "ref", glob = "refs/heads/*" } },
            permissions = new[] { new { project = "library", repositories = "**", actions = new[] { "push" } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("add a rule on repository_owner_id (preferred) or repository", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BadRegexAndUnknownProject_Returns400NamingBoth()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "broken",
            identityProvider = "k3d",
            rules = new[] { new { claim = "sub", regex = "(" } },
            permissions = new[] { new { project = "nope", repositories = "**", actions = new[] { "pull" } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = string.Join('\n', body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("invalid regex", errors, StringComparison.Ordinal);
        Assert.Contains("robots[broken].permissions[0].project: project 'nope' does not exist; create it first: berth project add nope", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ClassicRobot_SecretReturnedOnceAndRotateReplacesIt()
    {
        var (created, robot) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "legacy-api",
            secret = true,
            permissions = new[] { new { project = "library", repositories = "**", actions = new[] { "pull" } } },
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var secret = robot.GetProperty("secret").GetString()!;
        Assert.DoesNotContain(secret, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/legacy-api")).Body.GetRawText(), StringComparison.Ordinal);
        using (var login = await admin.Registry.RequestTokenAsync(secret, "legacy-api", scopes: "repository:library/x:pull"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var (rotated, after) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/legacy-api/rotate-secret");
        Assert.Equal(HttpStatusCode.OK, rotated);

        using var old = await admin.Registry.RequestTokenAsync(secret, "legacy-api", scopes: "repository:library/x:pull");
        using var fresh = await admin.Registry.RequestTokenAsync(after.GetProperty("secret").GetString()!, "legacy-api", scopes: "repository:library/x:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task ReplaceRules_RobotStopsMatching()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));

        var (status, _) = await admin.CallAsync(HttpMethod.Put, "/api/v1/robots/api-push/rules", new object[]
        {
            new { claim = "repository_owner_id", equals = "46576199" },
            new { claim = "ref", equals = "refs/heads/release" },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var (_, explained) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token = admin.Registry.GitHubToken(), robot = "api-push" });
        Assert.False(explained.GetProperty("explanation").GetProperty("robots")[0].GetProperty("matched").GetBoolean());
    }
}
