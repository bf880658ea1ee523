using System.Threading.RateLimiting;
using Berth.Configuration;

namespace Berth.Auth;

/// <summary>
/// Fixed one-minute windows on the token service, per client IP (checked before any work) and per
/// workload, issuer + subject (checked once the token is validated), so one runaway job or host
/// cannot starve the rest. Idle partitions are dropped by the limiter, so memory stays bounded by
/// the callers of the last minute.
/// </summary>
internal sealed class TokenRateLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string>? perClientIp;
    private readonly PartitionedRateLimiter<string>? perSubject;

    public TokenRateLimits(BerthSettings settings)
    {
        perClientIp = Create(settings.Tokens.RateLimitPerClientIp);
        perSubject = Create(settings.Tokens.RateLimitPerSubject);
    }

    /// <returns>Null when allowed, otherwise how long to wait.</returns>
    public TimeSpan? CheckClientIp(string? clientIp) => Check(perClientIp, clientIp ?? "unknown");

    /// <returns>Null when allowed, otherwise how long to wait.</returns>
    public TimeSpan? CheckSubject(string issuer, string subject) => Check(perSubject, issuer + "\n" + subject);

    public void Dispose()
    {
        perClientIp?.Dispose();
        perSubject?.Dispose();
    }

    private static TimeSpan? Check(PartitionedRateLimiter<string>? limiter, string key)
    {
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    private static PartitionedRateLimiter<string>? Create(int permitsPerMinute) =>
        permitsPerMinute <= 0
            ? null
            : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
