using Berth.Auth;
using Berth.Configuration;
using Berth.Registry.GarbageCollection;

namespace Berth.Hosting;

/// <summary>
/// Collects garbage every <c>registry.gcInterval</c> (off when zero). The first run waits one interval:
/// a restart loop must not turn into a collection loop. Replicas each run the worker; the store's lease
/// lets one of them work and the others skip.
/// </summary>
internal sealed class GarbageCollectionWorker(GarbageCollectionRuns runs, BerthSettings settings, TimeProvider time, ILogger<GarbageCollectionWorker> logger) : BackgroundService
{
    public const string Actor = "gc-worker";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.Registry.GcInterval;
        if (interval <= TimeSpan.Zero)
        {
            logger.LogInformation("background garbage collection is off (registry.gcInterval is zero); run `berth gc` to collect");
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        await timer.RunEveryTickAsync(
            startAtOnce: false,
            cancellationToken => runs.RunAsync(new GarbageCollectionRequest(DryRun: false, settings.Registry.GcDeleteUntagged), Actor, null, cancellationToken),
            logger,
            "garbage collection failed",
            stoppingToken);
    }
}
