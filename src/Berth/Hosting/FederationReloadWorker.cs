using Berth.Auth;
using Berth.Configuration;
using Berth.Http;

namespace Berth.Hosting;

/// <summary>
/// Re-reads the objects made through the admin API (and keys sent by key sync) every
/// <c>server.federationReloadInterval</c>, so a change made through another replica sharing the metadata
/// store applies here too: a robot disabled there stops working here within one interval.
/// </summary>
internal sealed class FederationReloadWorker(FederationState federation, Readiness readiness, BerthSettings settings, TimeProvider time, ILogger<FederationReloadWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Server.FederationReloadInterval, time);
        await timer.RunEveryTickAsync(startAtOnce: false, async cancellationToken =>
        {
            if (readiness.IsReady && await federation.ReloadAsync(cancellationToken))
            {
                logger.LogInformation("applied identity providers, projects, robots or keys changed through another replica");
            }
        }, logger, "re-reading identity providers, projects and robots from the metadata store failed", stoppingToken);
    }
}
