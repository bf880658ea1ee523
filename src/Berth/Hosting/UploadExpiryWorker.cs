using Berth.Configuration;
using Berth.Registry.Uploads;

namespace Berth.Hosting;

/// <summary>Removes abandoned upload sessions and their staged bytes on a fixed interval.</summary>
internal sealed class UploadExpiryWorker(BlobUploadService uploads, BerthSettings settings, TimeProvider time, ILogger<UploadExpiryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Registry.UploadSweepInterval, time);
        do
        {
            try
            {
                var removed = await uploads.ExpireIdleAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("removed {Count} upload sessions idle for more than {Expiry}", removed, settings.Registry.UploadExpiry);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "expiring idle uploads failed; retrying at the next interval");
            }
        }
        while (await timer.TickOrStopAsync(stoppingToken));
    }
}
