using System.Net;
using System.Text.Json;
using Berth.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Admin;

/// <summary>Robot responses carry their lint warnings, the lint routes list them, and start-up logs the file's robots'.</summary>
public sealed class RobotLintApiTests : IAsyncLifetime
{
    private const string NameWithoutId = "rules check repository but not repository_id: a repository can be renamed and its old name registered by someone else, who then gets this robot's access; add a rule on repository_id (immutable; gh api repos/OWNER/REPO --jq .id)";

    private readonly CapturingLoggerProvider logs = new();
    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync(services: services => services.AddSingleton<ILoggerProvider>(logs));

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Create_RobotCheckingRepositoryNameOnly_ResponseCarriesTheWarning()
    {
        var (status, robot) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));

        Assert.Equal(HttpStatusCode.Created, status);
        var warning = Assert.Single(robot.GetProperty("warnings").EnumerateArray());
        Assert.Equal("api-push", warning.GetProperty("robot").GetString());
        Assert.Equal("name-without-id", warning.GetProperty("code").GetString());
        Assert.Equal(NameWithoutId, warning.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Create_CleanRobot_ResponseHasNoWarningsProperty()
    {
        var (status, robot) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", CleanRobot("clean"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(robot.TryGetProperty("warnings", out _), robot.GetRawText());
        var (lint, warnings) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/clean/lint");
        Assert.Equal(HttpStatusCode.OK, lint);
        Assert.Equal(0, warnings.GetArrayLength());
    }

    [Fact]
    public async Task ReplaceRules_BroadSubjectWithoutRefPin_ResponseCarriesBroadPatternAndBroadPermission()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", CleanRobot("clean"));

        var (status, robot) = await admin.CallAsync(HttpMethod.Put, "/api/v1/robots/clean/rules", new object[]
        {
            new { claim = "repository_owner_id", equals = "46576199" },
            new { claim = "sub", glob = "repo:container-registry/*:*" },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["broad-pattern", "broad-permission"], robot.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task LintAll_ConfigRobots_ListsEachWarningAndShowCarriesThem()
    {
        var (status, warnings) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/lint");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            [("ci-push", "name-without-id"), ("cluster-pull", "broad-pattern")],
            warnings.EnumerateArray().Select(w => (w.GetProperty("robot").GetString(), w.GetProperty("code").GetString())));
        var (_, shown) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/ci-push");
        Assert.Equal(NameWithoutId, shown.GetProperty("warnings")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Lint_UnknownRobot_Returns404()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/nope/lint");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("robot 'nope' does not exist", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RobotNamedLint_Returns400BecauseTheRouteIsTaken()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", CleanRobot("lint"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'lint' is reserved", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheLintRoutes()
    {
        using var response = await admin.Client.GetAsync("/api/v1/openapi.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"/api/v1/robots/lint\"", text, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/robots/{name}/lint\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ConfigRobotsWithWarnings_LogsEachOnceWithoutTokens()
    {
        await admin.Registry.RestartAsync();

        var lint = logs.Messages.Where(m => m.StartsWith("lint: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lint.Count(m => m == $"lint: robot ci-push: name-without-id: {NameWithoutId}"));
        Assert.Equal(2, lint.Count(m => m.StartsWith("lint: robot cluster-pull: broad-pattern: sub glob 'system:serviceaccount:*:*' ", StringComparison.Ordinal)));
        Assert.Equal(4, lint.Count);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LintDraft_UnescapedDotInThirdRule_WarnsWithThatRulesIndexAndSavesNothing()
    {
        var draft = new
        {
            name = "drafted",
            identityProvider = "github",
            rules = new object[]
            {
                new { claim = "repository_owner_id", equals = "46576199" },
                new { claim = "repository_id", equals = "1104004353" },
                new { claim = "job_workflow_ref", regex = "acme/app/.github/workflows/release.yml@refs/heads/main" },
            },
            permissions = new[] { new { project = "library", repositories = "app", actions = new[] { "pull", "push" } } },
        };

        var (status, warnings) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/lint", draft);

        Assert.Equal(HttpStatusCode.OK, status);
        var warning = Assert.Single(warnings.EnumerateArray());
        Assert.Equal("regex-unescaped-dot", warning.GetProperty("code").GetString());
        Assert.Equal(2, warning.GetProperty("rule").GetInt32());
        Assert.False(warning.TryGetProperty("permission", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/drafted")).Status);
    }

    [Fact]
    public async Task LintDraft_SameRulesAsASavedRobot_WarnsDuplicateButNotAgainstItself()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", CleanRobot("clean"));

        var (_, asNew) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/lint", CleanRobot("other"));
        var (_, asEdit) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/lint", CleanRobot("clean"));

        Assert.Equal("duplicate-rules", Assert.Single(asNew.EnumerateArray()).GetProperty("code").GetString());
        Assert.Equal(0, asEdit.GetArrayLength());
    }

    [Fact]
    public async Task LintDraft_InvalidRegex_Returns400NamingTheRule()
    {
        var draft = new { name = "bad", identityProvider = "github", rules = new object[] { new { claim = "ref", regex = "refs/(main" } } };

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/lint", draft);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("robots[bad].rules[0]", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintDraftAndExplain_ChangeNothing_AreNotAudited()
    {
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/lint", CleanRobot("quiet"));
        await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { claims = new { sub = "x" } });
        await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "after" });

        var entries = await admin.Registry.AuditAsync(e => e.Reason == "POST /api/v1/projects 201");

        Assert.Contains(entries, e => e.Reason == "POST /api/v1/projects 201");
        Assert.DoesNotContain(entries, e => e.Reason?.StartsWith("POST /api/v1/robots/lint", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(entries, e => e.Reason?.StartsWith("POST /api/v1/explain", StringComparison.Ordinal) == true);
    }

    /// <summary>A GitHub robot pinned to the seed repository's ids and its main branch.</summary>
    private static object CleanRobot(string name) => new
    {
        name,
        identityProvider = "github",
        rules = new object[]
        {
            new { claim = "repository_owner_id", equals = "46576199" },
            new { claim = "repository_id", equals = "1104004353" },
            new { claim = "repository", equals = "container-registry/federated-idp-examples" },
            new { claim = "ref", equals = "refs/heads/main" },
        },
        permissions = new[] { new { project = "library", repositories = "**", actions = new[] { "pull", "push" } } },
    };
}
