using Berth.Access.Audit;
using Berth.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Hosting;

/// <summary><c>audit.retention</c>: the background purge deletes old entries when the server's clock says so.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Purge_DefaultRetention_DeletesEntriesOlderThanNinetyDaysAtTheNextInterval()
    {
        await using var registry = await FederatedRegistry.StartAsync(KeepingEverything);
        var log = await PurgedAtStartAsync(registry);
        var now = registry.Time.GetUtcNow();
        await log.AppendBatchAsync(
            [
                new AuditEntry(now - TimeSpan.FromDays(91), "pull", "accepted", Subject: "old"),
                new AuditEntry(now - TimeSpan.FromDays(89), "pull", "accepted", Subject: "recent"),
            ],
            CancellationToken.None);

        registry.Time.Advance(TimeSpan.FromHours(1));

        var left = await WaitForAsync(log, entries => entries.All(e => e.Subject != "old"));
        Assert.Contains(left, e => e.Subject == "recent");
        Assert.DoesNotContain(left, e => e.Subject == "old");
    }

    [Fact]
    public async Task Purge_BeforeTheInterval_DeletesNothing()
    {
        await using var registry = await FederatedRegistry.StartAsync(KeepingEverything);
        var log = await PurgedAtStartAsync(registry);
        await log.AppendAsync(new AuditEntry(registry.Time.GetUtcNow() - TimeSpan.FromDays(91), "pull", "accepted", Subject: "old"), CancellationToken.None);

        registry.Time.Advance(TimeSpan.FromMinutes(59));
        // The purge would have run at once on a tick; give the worker the same chance it gets above.
        await Task.Delay(200);

        Assert.Contains(await log.QueryAsync(new AuditQuery(Subject: "old"), CancellationToken.None), e => e.Subject == "old");
    }

    /// <summary>Retention off: the server starts without purging anything.</summary>
    private static string KeepingEverything(string yaml) => yaml + "\naudit:\n  retention: \"00:00:00\"\n";

    /// <summary>
    /// The worker purges once as the server starts (on a background thread, so possibly after the test's
    /// first steps), then every interval. For the interval to be tested alone, the registry first runs
    /// with retention off and stores a probe older than any retention; restarted with the default
    /// retention, its start-up purge must delete the probe, and once the probe is gone that purge is over
    /// and the next one is a whole interval of the test's clock away.
    /// </summary>
    private static async Task<IAuditLog> PurgedAtStartAsync(FederatedRegistry registry)
    {
        var keeping = registry.Services.GetRequiredService<IAuditLog>();
        await keeping.AppendAsync(new AuditEntry(registry.Time.GetUtcNow() - TimeSpan.FromDays(3650), "pull", "accepted", Subject: "probe"), CancellationToken.None);
        Assert.Contains(await keeping.QueryAsync(new AuditQuery(Subject: "probe"), CancellationToken.None), e => e.Subject == "probe");
        var yaml = await File.ReadAllTextAsync(registry.ConfigPath);
        await File.WriteAllTextAsync(registry.ConfigPath, yaml[..yaml.LastIndexOf("\naudit:", StringComparison.Ordinal)]);
        await registry.RestartAsync();
        var log = registry.Services.GetRequiredService<IAuditLog>();
        var left = await WaitForAsync(log, entries => entries.All(e => e.Subject != "probe"));
        Assert.DoesNotContain(left, e => e.Subject == "probe");
        return log;
    }

    private static async Task<IReadOnlyList<AuditEntry>> WaitForAsync(IAuditLog log, Func<IReadOnlyList<AuditEntry>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var entries = await log.QueryAsync(new AuditQuery(Limit: 1000), CancellationToken.None);
            if (done(entries) || DateTime.UtcNow > deadline)
            {
                return entries;
            }

            await Task.Delay(25);
        }
    }
}
