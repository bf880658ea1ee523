using System.Text.Json;

namespace Berth.Tests.Admin;

/// <summary>The real <c>berth robot lint</c> and <c>berth robot add</c> against a running server: warnings printed, exit codes a CI job can gate on.</summary>
public sealed class RobotLintCliTests : IAsyncLifetime
{
    private AdminCli cli = null!;

    public async Task InitializeAsync()
    {
        cli = await AdminCli.StartAsync();
        await cli.LoginAsync();
    }

    public async Task DisposeAsync() => await cli.DisposeAsync();

    [Fact]
    public async Task RobotLint_ConfigRobotsWithWarnings_PrintsTableAndExitsOne()
    {
        var lint = await BerthAsync(null, "robot", "lint");

        Assert.Equal(1, lint.ExitCode);
        var lines = lint.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ROBOT", lines[0], StringComparison.Ordinal);
        Assert.Contains("CODE", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("ci-push ", StringComparison.Ordinal) && l.Contains("name-without-id", StringComparison.Ordinal) && l.Contains("add a rule on repository_id", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cluster-pull ", StringComparison.Ordinal) && l.Contains("broad-pattern", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RobotAdd_PresetWithIdsAndRefPin_NoWarningsAndLintExitsZero()
    {
        var add = await BerthAsync(null, "robot", "add", "--preset", "github-repo", "container-registry/federated-idp-examples",
            "--owner-id", "46576199", "--repository-id", "1104004353", "--rule", "ref=refs/heads/main", "--allow", "pull,push:library/**");

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Equal("robot container-registry-federated-idp-examples created", add.Output.Trim());
        Assert.Equal(string.Empty, add.Error);
        var lint = await BerthAsync(null, "robot", "lint", "container-registry-federated-idp-examples");
        Assert.Equal(0, lint.ExitCode);
        Assert.Equal("robot container-registry-federated-idp-examples: no lint warnings", lint.Output.Trim());
    }

    [Fact]
    public async Task RobotAdd_RobotWithWarnings_PrintsThemOnStderrAndLintJsonExitsOne()
    {
        var add = await BerthAsync(null, "robot", "add", "release", "--idp", "github",
            "--rule", "repository_owner_id=46576199", "--rule", "job_workflow_ref=~container-registry/app/.github/workflows/release.yml@.*",
            "--allow", "pull,push:*/**");

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Equal("robot release created", add.Output.Trim());
        var stderr = add.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                @"warning: regex-unescaped-dot: regex 'container-registry/app/.github/workflows/release.yml@.*' on job_workflow_ref has an unescaped '.' in '.github', which matches any character, not only a dot: write 'container-registry/app/\.github/workflows/release\.yml@.*'",
                "warning: broad-permission: may push in every repository of every project (*/**), but no rule pins a branch, tag, environment or single workload, so a token from any branch of what the rules allow can push there: add a rule such as ref equals refs/heads/main, environment equals production or ref_protected equals \"true\", or narrow the permission to the repositories this robot publishes",
            ],
            stderr);

        var lint = await BerthAsync(null, "robot", "lint", "release", "--output", "json");
        Assert.Equal(1, lint.ExitCode);
        Assert.Equal(["regex-unescaped-dot", "broad-permission"], JsonDocument.Parse(lint.Output).RootElement.EnumerateArray().Select(w => w.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task RobotLint_UnknownRobot_ExitsOneSayingSo()
    {
        var lint = await BerthAsync(null, "robot", "lint", "nope");

        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("robot 'nope' does not exist", lint.Error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> BerthAsync(string? stdin, params string[] args) => cli.RunAsync(stdin, args);
}
