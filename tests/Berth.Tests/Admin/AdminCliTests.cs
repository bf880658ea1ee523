using System.Text.Json;

namespace Berth.Tests.Admin;

/// <summary>The real <c>berth</c> executable against a running server: login, then verbs with the stored admin token.</summary>
public sealed class AdminCliTests : IAsyncLifetime
{
    private AdminCli cli = null!;

    public async Task InitializeAsync() => cli = await AdminCli.StartAsync();

    public async Task DisposeAsync() => await cli.DisposeAsync();

    [Fact]
    public async Task Login_ThenRobotAddAndList_RobotMatchesJwt()
    {
        var login = await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        Assert.True(login.ExitCode == 0, login.Error);
        var credentials = Path.Combine(cli.Home, "berth", "credentials.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        }

        Assert.DoesNotContain(AdminRegistry.Password, await File.ReadAllTextAsync(credentials), StringComparison.Ordinal);

        var add = await BerthAsync(null, "robot", "add", "api-push", "--idp", "github",
            "--rule", "repository_owner_id=46576199", "--rule", "repository=container-registry/federated-idp-examples",
            "--rule", "ref~refs/heads/*", "--rule", "job_workflow_ref=~container-registry/federated-idp-examples/.github/workflows/.*",
            "--rule", "event_name in push,workflow_dispatch", "--allow", "pull,push:library/api/**");
        Assert.True(add.ExitCode == 0, add.Error);

        var list = await BerthAsync(null, "robot", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Output.Split('\n'), line => line.StartsWith("api-push", StringComparison.Ordinal) && line.Contains("api", StringComparison.Ordinal));

        var json = await BerthAsync(null, "robot", "show", "api-push", "--output", "json");
        var robot = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(["equals", "equals", "glob", "regex", "in"], robot.GetProperty("rules").EnumerateArray().Select(r => r.EnumerateObject().Last().Name));
        var token = await cli.Admin.Registry.TokenAsync(cli.Admin.Registry.GitHubToken(), "repository:library/api/web:pull,push");
        using var pushed = await cli.Admin.Registry.PushImageAsync("library/api/web", "v1", Auth.FederatedRegistry.Bearer(token));
        Assert.Equal(System.Net.HttpStatusCode.Created, pushed.StatusCode);

        Assert.Contains("library/api/web", (await BerthAsync(null, "repo", "list")).Output, StringComparison.Ordinal);
        Assert.Contains("v1", (await BerthAsync(null, "repo", "tags", "library/api/web")).Output.Split('\n'));
        var deleted = await BerthAsync(null, "repo", "delete-tag", "library/api/web", "v1");
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.DoesNotContain("v1", (await BerthAsync(null, "repo", "tags", "library/api/web")).Output.Split('\n'));
        Assert.Equal(1, (await BerthAsync(null, "repo", "delete-tag", "library/api/web", "v1")).ExitCode);
    }

    [Fact]
    public async Task Login_ByDefault_EndsAfterTwelveHoursAndSaysToLogInAgain()
    {
        var login = await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        Assert.True(login.ExitCode == 0, login.Error);
        Assert.Contains(", expires ", login.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await BerthAsync(null, "robot", "list")).ExitCode);

        cli.Admin.Registry.Time.Advance(TimeSpan.FromHours(11));
        Assert.Equal(0, (await BerthAsync(null, "robot", "list")).ExitCode);
        cli.Admin.Registry.Time.Advance(TimeSpan.FromHours(1));
        var expired = await BerthAsync(null, "robot", "list");

        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("expired at", expired.Error, StringComparison.Ordinal);
        Assert.Contains("run berth login again", expired.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ExpiresFlag_SetsTheLifetime()
    {
        var login = await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin", "--expires", "30d");
        Assert.True(login.ExitCode == 0, login.Error);

        cli.Admin.Registry.Time.Advance(TimeSpan.FromDays(29));

        Assert.Equal(0, (await BerthAsync(null, "robot", "list")).ExitCode);
    }

    [Fact]
    public async Task RobotAdd_ProjectThatDoesNotExist_NamesTheRobotAndTheCommandThatCreatesIt()
    {
        await cli.LoginAsync();

        var add = await BerthAsync(null, "robot", "add", "api-push", "--idp", "github",
            "--rule", "repository_owner_id=46576199", "--allow", "push:nosuchproject/**");

        Assert.Equal(1, add.ExitCode);
        Assert.Equal(
            "berth: robots[api-push].permissions[0].project: project 'nosuchproject' does not exist; create it first: berth project add nosuchproject",
            add.Error.Trim());
    }

    [Fact]
    public async Task IdpAddKubernetes_JwksFile_ShowsItsKeysAtOnce()
    {
        await cli.LoginAsync();
        var jwksFile = Path.Combine(cli.Home, "jwks.json");
        await File.WriteAllTextAsync(jwksFile, Berth.Federation.Tests.Support.TestKey.Jwks(cli.Admin.Registry.KubernetesKey));

        var add = await BerthAsync(null, "idp", "add", "kubernetes", "--name", "private", "--issuer", "https://private.example", "--audience", "registry.example.com", "--jwks-file", jwksFile);
        var show = JsonDocument.Parse((await BerthAsync(null, "idp", "show", "private", "--output", "json")).Output).RootElement.GetProperty("keys");
        var listed = JsonDocument.Parse((await BerthAsync(null, "idp", "list", "--output", "json")).Output).RootElement
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "private").GetProperty("keys");

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Equal("identity provider private added (issuer https://private.example, keys k8s-1)", add.Output.Trim());
        foreach (var keys in new[] { show, listed })
        {
            Assert.Equal(["k8s-1"], keys.GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()));
            Assert.True(keys.GetProperty("keysUsable").GetBoolean());
        }
    }

    [Fact]
    public async Task IdpRefresh_FetchFails_ExitsOneWithReadableYaml()
    {
        await cli.LoginAsync();
        var add = await BerthAsync(null, "idp", "add", "oidc", "--name", "unreachable", "--issuer", "https://unreachable.example", "--audience", "registry.example.com", "--jwks-url", "https://127.0.0.1:1/jwks");
        Assert.True(add.ExitCode == 0, add.Error);

        var refresh = await BerthAsync(null, "idp", "refresh", "unreachable");

        Assert.Equal(1, refresh.ExitCode);
        Assert.StartsWith("berth: fetching the keys of identity provider unreachable failed: ", refresh.Error, StringComparison.Ordinal);
        Assert.Contains("lastError: ", refresh.Output, StringComparison.Ordinal);
        Assert.Matches(@"lastFetchAttempt: ""\d{4}-\d\d-\d\dT[0-9:.]+\+00:00""", refresh.Output);
        Assert.DoesNotContain("\\u", refresh.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdpShow_Json_KeepsNonAsciiAndPlusReadable()
    {
        await cli.LoginAsync();
        var add = await BerthAsync(null, "idp", "add", "oidc", "--name", "unreachable", "--issuer", "https://unreachable.example/é", "--audience", "registry→example", "--jwks-url", "https://127.0.0.1:1/jwks");
        Assert.True(add.ExitCode == 0, add.Error);

        var json = await BerthAsync(null, "idp", "show", "unreachable", "--output", "json");
        var yaml = await BerthAsync(null, "idp", "show", "unreachable");

        Assert.Contains("\"registry→example\"", json.Output, StringComparison.Ordinal);
        Assert.Contains("https://unreachable.example/é", yaml.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json.Output + yaml.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdpAddPresets_ForgejoAndKubernetes_CreateProvidersWithKnownIssuers()
    {
        await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        var jwksFile = Path.Combine(cli.Home, "jwks.json");
        await File.WriteAllTextAsync(jwksFile, Berth.Federation.Tests.Support.TestKey.Jwks(cli.Admin.Registry.KubernetesKey));

        var forgejo = await BerthAsync(null, "idp", "add", "forgejo", "--url", "https://codeberg.org/", "--audience", "registry.example.com");
        var cluster = await BerthAsync(null, "idp", "add", "kubernetes", "--name", "k3d2", "--issuer", "https://k3d2.example", "--audience", "registry.example.com", "--jwks-file", jwksFile);
        var noKeys = await BerthAsync(null, "idp", "add", "kubernetes", "--name", "k3d3", "--audience", "registry.example.com");

        Assert.True(forgejo.ExitCode == 0, forgejo.Error);
        Assert.True(cluster.ExitCode == 0, cluster.Error);
        Assert.Equal(2, noKeys.ExitCode);
        var shown = JsonDocument.Parse((await BerthAsync(null, "idp", "show", "forgejo", "--output", "json")).Output).RootElement;
        Assert.Equal("https://codeberg.org/api/actions", shown.GetProperty("issuer").GetString());
        var list = await BerthAsync(null, "idp", "list");
        Assert.Contains(list.Output.Split('\n'), line => line.StartsWith("k3d2", StringComparison.Ordinal) && line.Contains("https://k3d2.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RobotAddPreset_KubernetesServiceAccount_PinsSubAndAudienceAndMatchesTheSeedToken()
    {
        await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");

        var added = await BerthAsync(null, "robot", "add", "--preset", "kubernetes-serviceaccount", "default/default", "--idp", "k3d",
            "--audience", Berth.Federation.Tests.Support.SeedClaims.Audience, "--allow", "pull:library/**");
        var withoutIds = await BerthAsync(null, "robot", "add", "--preset", "github-repo", "acme/app", "--allow", "pull:library/**");

        Assert.True(added.ExitCode == 0, added.Error);
        var robot = JsonDocument.Parse((await BerthAsync(null, "robot", "show", "default-default", "--output", "json")).Output).RootElement;
        Assert.Equal(["sub", "aud"], robot.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("claim").GetString()));
        using var token = await cli.Admin.Registry.RequestTokenAsync(cli.Admin.Registry.KubernetesToken(), "default-default", scopes: "repository:library/app:pull");
        Assert.Equal(System.Net.HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(2, withoutIds.ExitCode);
        Assert.Contains("--owner-id", withoutIds.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbs_NotLoggedIn_ExitOneAndSayToLogIn()
    {
        var result = await BerthAsync(null, "robot", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not logged in: run berth login URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProjectTokenAuditExplain_AfterLogin_Work()
    {
        await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");

        Assert.Equal(0, (await BerthAsync(null, "project", "add", "team", "--public")).ExitCode);
        var projects = await BerthAsync(null, "project", "list", "--output", "yaml");
        Assert.Contains("name: \"team\"", projects.Output, StringComparison.Ordinal);
        var refused = await BerthAsync(null, "project", "remove", "library");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("edit the file", refused.Error, StringComparison.Ordinal);

        var created = await BerthAsync(null, "token", "create", "--name", "ci-admin", "--expires", "30d");
        Assert.StartsWith("berth_at_", created.Output, StringComparison.Ordinal);
        Assert.Contains("ci-admin", (await BerthAsync(null, "token", "list")).Output, StringComparison.Ordinal);

        var tokenFile = Path.Combine(cli.Home, "t.jwt");
        await File.WriteAllTextAsync(tokenFile, cli.Admin.Registry.KubernetesToken());
        var explain = await BerthAsync(null, "explain", "--token-file", tokenFile, "--robot", "cluster-pull");
        Assert.True(explain.ExitCode == 0, explain.Error);
        Assert.Contains("robot cluster-pull (identity provider k3d): MATCHED", explain.Output, StringComparison.Ordinal);

        var audit = await BerthAsync(null, "audit", "--since", "1h", "--kind", "admin", "--output", "json");
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("POST /api/v1/projects 201", audit.Output, StringComparison.Ordinal);

        var usage = await BerthAsync(null, "robot", "add", "x", "--allow", "pull:library/**");
        Assert.Equal(2, usage.ExitCode);
    }

    [Fact]
    public async Task ExplainAndAudit_RefusedTokenAndDeniedPush_ShowTheRefusals()
    {
        await BerthAsync(AdminRegistry.Password, "login", cli.Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        var tokenFile = Path.Combine(cli.Home, "wrong-aud.jwt");
        await File.WriteAllTextAsync(tokenFile, cli.Admin.Registry.GitHubToken(c => c["aud"] = "https://github.com/container-registry"));
        await cli.Admin.Registry.TokenAsync(cli.Admin.Registry.GitHubToken(), "repository:library/other/hello:pull,push");
        await cli.Admin.Registry.AuditAsync(e => e.Kind == "push" && e.Outcome == "refused");

        var explain = await BerthAsync(null, "explain", "--token-file", tokenFile);
        var audit = await BerthAsync(null, "audit", "--outcome", "refused", "--repository", "library/other/hello", "--output", "json");
        var unknown = await BerthAsync(null, "audit", "--outcome", "denied");

        Assert.Equal(1, explain.ExitCode);
        Assert.Contains("result: refused (audience_mismatch)", explain.Output, StringComparison.Ordinal);
        Assert.Equal(0, audit.ExitCode);
        var entries = JsonDocument.Parse(audit.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["pull", "push"], entries.Select(e => e.GetProperty("kind").GetString()).Order());
        Assert.All(entries, e => Assert.Equal("ci-push", e.GetProperty("robots").GetString()));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--outcome 'denied' is not known: use one of accepted, refused", unknown.Error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> BerthAsync(string? stdin, params string[] args) => cli.RunAsync(stdin, args);
}
