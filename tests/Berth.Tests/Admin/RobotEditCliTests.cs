using System.Net;
using System.Text.Json;

namespace Berth.Tests.Admin;

/// <summary>
/// <c>berth robot rules | permissions | rotate-secret</c>: the real executable against a running server,
/// proved by what the token service does afterwards, not only by what the API answers.
/// </summary>
public sealed class RobotEditCliTests : IAsyncLifetime
{
    private const string ApiScope = "repository:library/api/web:pull,push";

    private AdminCli cli = null!;

    public async Task InitializeAsync() => cli = await AdminCli.StartAsync();

    public async Task DisposeAsync() => await cli.DisposeAsync();

    [Fact]
    public async Task RobotRules_Replaced_TokenThatMatchedStopsMatchingAndShowPrintsTheTypedSyntax()
    {
        await LoginAndAddApiPushAsync();
        using (var before = await cli.Admin.Registry.RequestTokenAsync(cli.Admin.Registry.GitHubToken(), "api-push", scopes: ApiScope))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var replaced = await BerthAsync(null, "robot", "rules", "api-push", "--rule", "repository_owner_id=46576199", "--rule", "ref=refs/heads/release");

        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.Contains("robot api-push: rules replaced (2 rules)", replaced.Output, StringComparison.Ordinal);
        using var after = await cli.Admin.Registry.RequestTokenAsync(cli.Admin.Registry.GitHubToken(), "api-push", scopes: ApiScope);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var shown = (await BerthAsync(null, "robot", "show", "api-push")).Output.Split('\n');
        Assert.Contains("  repository_owner_id=46576199", shown);
        Assert.Contains("  ref=refs/heads/release", shown);
        Assert.DoesNotContain(shown, line => line.Contains("repository=container-registry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RobotPermissions_Replaced_TokensGrantOnlyTheNewList()
    {
        await LoginAndAddApiPushAsync();
        Assert.Equal(["pull", "push"], await GrantedActionsAsync());

        var replaced = await BerthAsync(null, "robot", "permissions", "api-push", "--allow", "pull:library/api/**");

        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.Equal(["pull"], await GrantedActionsAsync());
        Assert.Contains("  pull:library/api/**", (await BerthAsync(null, "robot", "show", "api-push")).Output.Split('\n'));
    }

    [Fact]
    public async Task RobotEdits_ConfigManagedRobot_ExitOneWithTheServersMessage()
    {
        await LoginAsync();

        var rules = await BerthAsync(null, "robot", "rules", "ci-push", "--rule", "repository_owner_id=46576199");
        var permissions = await BerthAsync(null, "robot", "permissions", "ci-push", "--allow", "pull:library/**");
        var rotate = await BerthAsync(null, "robot", "rotate-secret", "legacy-pull");

        foreach (var (exit, _, error) in new[] { rules, permissions, rotate })
        {
            Assert.Equal(1, exit);
            Assert.Contains("is declared in the configuration file (managedBy: config): edit the file", error, StringComparison.Ordinal);
        }

        using var stillMatches = await cli.Admin.Registry.RequestTokenAsync(cli.Admin.Registry.GitHubToken(), "ci-push", scopes: "repository:library/app/web:pull");
        Assert.Equal(HttpStatusCode.OK, stillMatches.StatusCode);
    }

    [Fact]
    public async Task RobotEdits_BadSyntaxOrNothingGiven_ExitTwoBeforeAskingTheServer()
    {
        // Not logged in on purpose: a usage error must be found before any call (which would exit 1).
        var badRule = await BerthAsync(null, "robot", "rules", "api-push", "--rule", "repository");
        var noRule = await BerthAsync(null, "robot", "rules", "api-push");
        var badAllow = await BerthAsync(null, "robot", "permissions", "api-push", "--allow", "pull");

        Assert.Equal((2, 2, 2), (badRule.ExitCode, noRule.ExitCode, badAllow.ExitCode));
        Assert.Contains("rule 'repository': use claim=value, claim~glob, claim=~regex or 'claim in a,b'", badRule.Error, StringComparison.Ordinal);
        Assert.Contains("give at least one --rule", noRule.Error, StringComparison.Ordinal);
        Assert.Contains("--allow 'pull': use actions:project/repository-glob", badAllow.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RobotRotateSecret_ClassicRobot_PrintsANewSecretThatWorksAndTheOldOneStops()
    {
        await LoginAsync();
        var added = await BerthAsync(null, "robot", "add", "nightly", "--secret", "--allow", "pull:library/**");
        Assert.True(added.ExitCode == 0, added.Error);
        var oldSecret = LastLine(added.Output);

        var rotated = await BerthAsync(null, "robot", "rotate-secret", "nightly");

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        Assert.Contains("shown once", rotated.Output, StringComparison.Ordinal);
        var newSecret = LastLine(rotated.Output);
        Assert.NotEqual(oldSecret, newSecret);
        using var old = await cli.Admin.Registry.RequestTokenAsync(oldSecret, "nightly", scopes: "repository:library/x:pull");
        using var fresh = await cli.Admin.Registry.RequestTokenAsync(newSecret, "nightly", scopes: "repository:library/x:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task RobotRotateSecret_FederatedRobot_ExitOneAndSaysItHasNoSecret()
    {
        await LoginAndAddApiPushAsync();

        var rotated = await BerthAsync(null, "robot", "rotate-secret", "api-push");

        Assert.Equal(1, rotated.ExitCode);
        Assert.Contains("robot 'api-push' is federated: it has no secret to rotate", rotated.Error, StringComparison.Ordinal);
    }

    private Task LoginAsync() => cli.LoginAsync();

    private async Task LoginAndAddApiPushAsync()
    {
        await LoginAsync();
        var add = await BerthAsync(null, "robot", "add", "api-push", "--idp", "github",
            "--rule", "repository_owner_id=46576199", "--rule", "repository=container-registry/federated-idp-examples",
            "--allow", "pull,push:library/api/**");
        Assert.True(add.ExitCode == 0, add.Error);
    }

    /// <summary>The actions the registry token grants api-push for <see cref="ApiScope"/>.</summary>
    private async Task<List<string?>> GrantedActionsAsync()
    {
        using var response = await cli.Admin.Registry.RequestTokenAsync(cli.Admin.Registry.GitHubToken(), "api-push", scopes: ApiScope);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        var payload = JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[1]))).RootElement;
        return [.. payload.GetProperty("access")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString())];
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1].Trim();

    private Task<(int ExitCode, string Output, string Error)> BerthAsync(string? stdin, params string[] args) => cli.RunAsync(stdin, args);
}
