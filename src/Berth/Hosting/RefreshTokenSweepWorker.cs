using Berth.Access.Refresh;
using Berth.Auth;
using Berth.Federation.Robots;

namespace Berth.Hosting;

/// <summary>
/// Keeps the refresh token table honest. At start-up it revokes every refresh token whose robots no
/// longer exist, are disabled, or changed (rules, permissions, their provider's keys) while no replica
/// ran: a robot of the configuration file disabled for one restart and enabled again at the next would
/// otherwise find its old refresh tokens valid again, since the fingerprint they were stored with matches
/// once more. Then, every <see cref="PurgeInterval"/>, it deletes expired refresh tokens (they are
/// refused anyway; this keeps the table small).
/// </summary>
/// <remarks>
/// The sweep runs at start-up only: replicas with different configuration files (a rolling change)
/// would otherwise revoke each other's tokens on every tick. Changes through the admin API revoke at once.
/// </remarks>
internal sealed class RefreshTokenSweepWorker(IRefreshTokenStore refreshTokens, FederationState state, TimeProvider time, ILogger<RefreshTokenSweepWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StoppingTimer.TryRunAsync(
                SweepStaleAsync, logger, "revoking refresh tokens of changed robots failed; they are still refused when used", stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(PurgeInterval, time);
        await timer.RunEveryTickAsync(startAtOnce: false, PurgeExpiredAsync, logger, "deleting expired refresh tokens failed", stoppingToken);
    }

    private async Task PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var purged = await refreshTokens.PurgeExpiredRefreshTokensAsync(time.GetUtcNow(), cancellationToken);
        if (purged > 0)
        {
            logger.LogInformation("deleted {Count} expired refresh tokens", purged);
        }
    }

    private async Task SweepStaleAsync(CancellationToken cancellationToken)
    {
        var model = state.Current.Model;
        var revoked = 0;
        foreach (var binding in await refreshTokens.ListRefreshTokenBindingsAsync(cancellationToken))
        {
            if (RobotsFingerprint.Current(binding.Robots, model.Robots, model.IdentityProviders) != binding.RobotsFingerprint)
            {
                revoked += await refreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Fingerprint(binding.RobotsFingerprint), cancellationToken);
            }
        }

        if (revoked > 0)
        {
            logger.LogInformation("revoked {Count} refresh tokens whose robots were removed, disabled or changed since they were issued", revoked);
        }
    }
}
