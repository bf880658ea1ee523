using System.Net;
using System.Text.Json;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>Audit values read from a token that failed verification are marked as such, in the API and the CLI.</summary>
public sealed class AuditUnverifiedTests : IAsyncLifetime
{
    private AdminCli cli = null!;

    private AdminRegistry Admin => cli.Admin;

    public async Task InitializeAsync()
    {
        cli = await AdminCli.StartAsync();
        var forged = TestKey.Rsa("attacker").Sign(SeedClaims.GitHubAt(Admin.Registry.Time.GetUtcNow()).ToJsonString());
        (await Admin.Registry.RequestTokenAsync(forged)).Dispose();
        (await Admin.Registry.RequestTokenAsync(Admin.Registry.GitHubToken(c => c["repository_owner_id"] = "1"))).Dispose();
        await Admin.Registry.AuditAsync(e => e.Kind == "token" && e.Reason?.StartsWith("unknown_key", StringComparison.Ordinal) == true);
        await Admin.Registry.AuditAsync(e => e.Kind == "token" && e.Reason == "no_robot_matched");
    }

    public async Task DisposeAsync() => await cli.DisposeAsync();

    [Fact]
    public async Task Api_RefusedExchange_MarksClaimsOfAnUnverifiedTokenOnly()
    {
        var (status, body) = await Admin.CallAsync(HttpMethod.Get, "/api/v1/audit?kind=token&outcome=refused");

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = body.GetProperty("entries").EnumerateArray().ToList();
        var forged = Assert.Single(entries, e => e.GetProperty("reason").GetString()!.StartsWith("unknown_key", StringComparison.Ordinal));
        var unmatched = Assert.Single(entries, e => e.GetProperty("reason").GetString() == "no_robot_matched");
        Assert.True(forged.GetProperty("unverified").GetBoolean());
        Assert.False(unmatched.GetProperty("unverified").GetBoolean());
    }

    [Fact]
    public async Task Cli_AuditTable_ShowsTheUnverifiedColumn()
    {
        await cli.LoginAsync();

        var audit = await cli.RunAsync(null, "audit", "--kind", "token", "--outcome", "refused");

        Assert.Equal(0, audit.ExitCode);
        var header = audit.Output.Split('\n')[0];
        Assert.Contains("UNVERIFIED", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(audit.Output.Split('\n'), line => line.Contains("unknown_key", StringComparison.Ordinal) && line.Contains("true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_ReasonFilter_ShowsOnlyThatReason()
    {
        await cli.LoginAsync();

        var audit = await cli.RunAsync(null, "audit", "--reason", "no_robot_matched");

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("no_robot_matched", audit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown_key", audit.Output, StringComparison.Ordinal);
    }
}
