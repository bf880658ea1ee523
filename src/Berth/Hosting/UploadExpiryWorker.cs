using Berth.Configuration;
using Berth.Registry.Uploads;

namespace Berth.Hosting;

/// <summary>Removes abandoned upload sessions and their staged bytes on a fixed interval.</summary>
internal sealed class UploadExpiryWorker(BlobUploadService uploads, BerthSettings settings, TimeProvider time, ILogger<UploadExpiryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Registry.UploadSweepInterval, time);
        await timer.RunEveryTickAsync(startAtOnce: true, async cancellationToken =>
        {
            var removed = await uploads.ExpireIdleAsync(cancellationToken);
            if (removed > 0)
            {
                logger.LogInformation("removed {Count} upload sessions idle for more than {Expiry}", removed, settings.Registry.UploadExpiry);
            }
        }, logger, "expiring idle uploads failed", stoppingToken);
    }
}
