using System.Net;
using System.Text.Json;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Admin;

/// <summary><c>POST /api/v1/gc</c> and <c>berth gc</c>: admin only, audited, with the run's counts.</summary>
public sealed class GarbageCollectionApiTests : IAsyncLifetime
{
    private AdminCli cli = null!;

    public async Task InitializeAsync() => cli = await AdminCli.StartAsync();

    public async Task DisposeAsync() => await cli.DisposeAsync();

    [Fact]
    public async Task Post_DryRun_AnswersCountsAndIsAudited()
    {
        var (status, body) = await cli.Admin.CallAsync(HttpMethod.Post, "/api/v1/gc?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, body.GetProperty("blobsDeleted").GetInt32());
        Assert.Equal(0, body.GetProperty("bytesFreed").GetInt64());
        var entry = await SingleGcAuditEntryAsync();
        Assert.Equal("test-admin", entry.GetProperty("subject").GetString());
        Assert.StartsWith("dry run", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The audit trail is written in the background: wait (bounded) for the entry.</summary>
    private async Task<JsonElement> SingleGcAuditEntryAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var (_, audit) = await cli.Admin.CallAsync(HttpMethod.Get, "/api/v1/audit?kind=gc");
            var entries = audit.GetProperty("entries").EnumerateArray().ToList();
            if (entries.Count > 0 || attempt == 50)
            {
                return Assert.Single(entries);
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Post_WithoutAdminToken_Answers401()
    {
        using var response = await cli.Admin.Client.PostAsync(Oci.Path("/api/v1/gc"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Cli_GcDryRunJson_PrintsTheReport()
    {
        await cli.LoginAsync();

        var run = await cli.RunAsync(null, "gc", "--dry-run", "--delete-untagged", "--output", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonDocument.Parse(run.Output).RootElement;
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.True(report.GetProperty("deleteUntagged").GetBoolean());
        Assert.Equal(0, report.GetProperty("manifestsDeleted").GetInt32());
    }

    [Fact]
    public async Task Cli_GcTable_PrintsCountsUnderHeadings()
    {
        await cli.LoginAsync();

        var run = await cli.RunAsync(null, "gc");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("BLOBSDELETED", run.Output, StringComparison.Ordinal);
    }
}
