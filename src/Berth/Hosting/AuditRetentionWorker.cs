using Berth.Access.Audit;
using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>
/// Deletes audit entries older than <c>audit.retention</c> every <c>audit.purgeInterval</c>: nothing else
/// ever deletes audit rows, and refused exchanges alone can add hundreds a minute. Every replica runs it;
/// the delete is idempotent, so they need no coordination.
/// </summary>
internal sealed class AuditRetentionWorker(IAuditLog log, BerthSettings settings, TimeProvider time, ILogger<AuditRetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = settings.Audit.Retention;
        if (retention == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Audit.PurgeInterval, time);
        await timer.RunEveryTickAsync(startAtOnce: true, async cancellationToken =>
        {
            var removed = await log.PurgeOlderThanAsync(time.GetUtcNow() - retention, cancellationToken);
            if (removed > 0)
            {
                logger.LogInformation("removed {Count} audit entries older than {Retention} (audit.retention)", removed, retention);
            }
        }, logger, "purging old audit entries failed", stoppingToken);
    }
}
