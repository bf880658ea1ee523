using System.Net;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>Identity providers, projects, open mode, explain and audit through the admin API.</summary>
public sealed class FederationApiTests
{
    [Fact]
    public async Task OpenMode_FirstRobotCreatedThroughApi_RegistryStartsAskingForCredentials()
    {
        await using var admin = await AdminRegistry.StartAsync(_ => string.Empty);
        using (var open = await admin.Registry.PushImageAsync("library/app", "v1", null))
        {
            Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new
        {
            name = "github",
            issuer = SeedClaims.GitHubIssuer,
            audiences = new[] { FederatedRegistry.Audience },
            jwks = TestKey.Jwks(admin.Registry.GitHubKey),
        })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "library" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"))).Status);

        using var anonymous = await admin.Registry.PushImageAsync("library/api/web", "v1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var token = await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/api/web:pull,push");
        using var pushed = await admin.Registry.PushImageAsync("library/api/web", "v1", FederatedRegistry.Bearer(token));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
    }

    [Fact]
    public async Task IdentityProviders_ShowAfterLogin_ListsKeyIdsAndManagedByConfig()
    {
        await using var admin = await AdminRegistry.StartAsync();
        await admin.Registry.TokenAsync(admin.Registry.GitHubToken());

        var (list, providers) = await admin.CallAsync(HttpMethod.Get, "/api/v1/identity-providers");
        var (show, github) = await admin.CallAsync(HttpMethod.Get, "/api/v1/identity-providers/github");
        var (refresh, refreshed) = await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers/k3d/refresh");

        Assert.Equal(HttpStatusCode.OK, list);
        Assert.Equal(["github", "k3d"], providers.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, show);
        Assert.Equal("config", github.GetProperty("managedBy").GetString());
        Assert.Equal(["gh-1"], github.GetProperty("keys").GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(HttpStatusCode.OK, refresh);
        Assert.True(refreshed.GetProperty("keys").GetProperty("keysUsable").GetBoolean());
    }

    [Fact]
    public async Task IdentityProviders_CreateWithPastedJwks_ShowsItsKeysBeforeAnyToken()
    {
        await using var admin = await AdminRegistry.StartAsync();

        var (created, view) = await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new
        {
            name = "corp",
            issuer = "https://id.corp.example",
            audiences = new[] { "registry" },
            jwks = TestKey.Jwks(admin.Registry.KubernetesKey),
        });
        var (_, list) = await admin.CallAsync(HttpMethod.Get, "/api/v1/identity-providers");

        Assert.Equal(HttpStatusCode.Created, created);
        var listed = list.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "corp");
        foreach (var keys in new[] { view.GetProperty("keys"), listed.GetProperty("keys") })
        {
            Assert.Equal(["k8s-1"], keys.GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()));
            Assert.True(keys.GetProperty("keysUsable").GetBoolean());
        }
    }

    [Fact]
    public async Task IdentityProviders_DeleteWhileRobotUsesIt_Returns409ThenSucceedsAfterRobotGoes()
    {
        await using var admin = await AdminRegistry.StartAsync();
        await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new
        {
            name = "corp",
            issuer = "https://id.corp.example",
            audiences = new[] { "registry" },
            jwks = TestKey.Jwks(admin.Registry.KubernetesKey),
        });
        await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "corp-pull",
            identityProvider = "corp",
            rules = new[] { new { claim = "sub", equals = "builder" } },
            permissions = new[] { new { project = "library", repositories = "**", actions = new[] { "pull" } } },
        });

        Assert.Equal(HttpStatusCode.Conflict, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/identity-providers/corp")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/corp-pull")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/identity-providers/corp")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/identity-providers/github")).Status);
    }

    [Fact]
    public async Task IdentityProviders_Update_ChangesAudienceForTheNextLoginAndRefusesConfigManaged()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var corp = new { name = "corp", issuer = "https://id.corp.example", audiences = new[] { "old-audience" }, jwks = TestKey.Jwks(admin.Registry.KubernetesKey) };
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", corp)).Status);

        var (updated, view) = await admin.CallAsync(HttpMethod.Put, "/api/v1/identity-providers/corp", corp with { audiences = new[] { "registry.example.com" } });
        var (missing, _) = await admin.CallAsync(HttpMethod.Put, "/api/v1/identity-providers/nobody", corp);
        var (configManaged, _) = await admin.CallAsync(HttpMethod.Put, "/api/v1/identity-providers/github", corp);

        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(["registry.example.com"], view.GetProperty("audiences").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.Conflict, configManaged);
    }

    [Fact]
    public async Task IdentityProviders_CreateWithoutAudience_Returns400()
    {
        await using var admin = await AdminRegistry.StartAsync();

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new { name = "corp", issuer = "https://id.corp.example", jwks = TestKey.Jwks(admin.Registry.KubernetesKey) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("audience", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Projects_CrudWithPublicFlag_PublicProjectAllowsAnonymousPull()
    {
        await using var admin = await AdminRegistry.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "team" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "team" })).Status);
        using (var privatePull = await admin.Client.GetAsync("/v2/team/app/tags/list"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, privatePull.StatusCode);
        }

        var (updated, project) = await admin.CallAsync(HttpMethod.Put, "/api/v1/projects/team", new { @public = true });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.True(project.GetProperty("public").GetBoolean());
        using (var publicPull = await admin.Client.GetAsync("/v2/team/app/tags/list"))
        {
            // Allowed now: the repository simply does not exist yet.
            Assert.Equal(HttpStatusCode.NotFound, publicPull.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await admin.CallAsync(HttpMethod.Put, "/api/v1/projects/library", new { @public = true })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/projects/team")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Get, "/api/v1/projects/team")).Status);
    }

    [Fact]
    public async Task DeleteProject_WithTaggedRepository_Returns409NamingItUntilTheTagIsGone()
    {
        await using var admin = await AdminRegistry.StartAsync(_ => string.Empty);
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "team" })).Status);
        using (var pushed = await admin.Registry.PushImageAsync("team/app", "v1", null))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        var (refused, errors) = await admin.CallAsync(HttpMethod.Delete, "/api/v1/projects/team");

        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("project 'team' is not empty: repository 'team/app' has tags; delete every tag in the project first", errors.GetProperty("errors")[0].GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/repositories/team/app/tags/v1")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/projects/team")).Status);
    }

    [Fact]
    public async Task Explain_ClaimsDocument_ShowsEachRuleWithValueFound()
    {
        await using var admin = await AdminRegistry.StartAsync();

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { claims = SeedClaims.KubernetesAt(DateTimeOffset.UtcNow), robot = "cluster-pull" });

        Assert.Equal(HttpStatusCode.OK, status);
        var robot = body.GetProperty("explanation").GetProperty("robots")[0];
        Assert.True(robot.GetProperty("matched").GetBoolean());
        Assert.Equal("default", robot.GetProperty("rules")[1].GetProperty("found").GetString());
    }

    [Fact]
    public async Task Explain_TokenAgainstUnsavedDraft_ShowsTheDraftsRulesAndSavesNothing()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var draft = new
        {
            name = "draft-push",
            identityProvider = "github",
            rules = new object[]
            {
                new { claim = "repository_owner_id", equals = "46576199" },
                new { claim = "ref", equals = "refs/heads/release" },
            },
            permissions = new[] { new { project = "library", repositories = "web/*", actions = new[] { "push" } } },
        };

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token = admin.Registry.GitHubToken(), draft });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("refused", body.GetProperty("outcome").GetString());
        var robot = Assert.Single(body.GetProperty("explanation").GetProperty("robots").EnumerateArray());
        Assert.Equal("draft-push", robot.GetProperty("robot").GetString());
        Assert.True(robot.GetProperty("rules")[0].GetProperty("matched").GetBoolean());
        Assert.False(robot.GetProperty("rules")[1].GetProperty("matched").GetBoolean());
        Assert.Equal("refs/heads/main", robot.GetProperty("rules")[1].GetProperty("found").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Get, "/api/v1/robots/draft-push")).Status);
    }

    [Fact]
    public async Task Explain_DraftWithBadRule_Returns400NamingTheRule()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var draft = new { name = "bad", identityProvider = "github", rules = new object[] { new { claim = "sub" } } };

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { claims = new { sub = "x" }, draft });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("robots[bad].rules[0]: ", body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ExpiredToken_IsRefusedAndShowsRulesOnUnverifiedClaimsWithoutAMatch()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var token = admin.Registry.GitHubToken();
        admin.Registry.Time.Advance(TimeSpan.FromHours(2));

        var (_, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token });

        Assert.False(body.GetProperty("tokenValid").GetBoolean());
        Assert.Equal("refused", body.GetProperty("outcome").GetString());
        Assert.Equal("token_expired", body.GetProperty("rejection").GetString());
        var ciPush = Assert.Single(body.GetProperty("explanation").GetProperty("robots").EnumerateArray(), r => r.GetProperty("robot").GetString() == "ci-push");
        Assert.All(ciPush.GetProperty("rules").EnumerateArray(), rule => Assert.True(rule.GetProperty("matched").GetBoolean()));
        Assert.False(ciPush.GetProperty("matched").GetBoolean());
        Assert.Contains("unverified claims", ciPush.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repositories_ListTagsAndDeleteTag()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var token = await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/app/web:pull,push");
        (await admin.Registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(token))).Dispose();
        (await admin.Registry.PushImageAsync("library/app/web", "v2", FederatedRegistry.Bearer(token))).Dispose();

        var (_, repositories) = await admin.CallAsync(HttpMethod.Get, "/api/v1/repositories");
        Assert.Equal(["library/app/web"], repositories.EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/repositories/library/app/web/tags/v1")).Status);

        var (_, tags) = await admin.CallAsync(HttpMethod.Get, "/api/v1/repositories/library/app/web/tags");
        Assert.Equal(["v2"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Delete, "/api/v1/repositories/library/app/web/tags/v1")).Status);
    }
}
