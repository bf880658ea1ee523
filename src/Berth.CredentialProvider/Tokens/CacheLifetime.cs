namespace Berth.CredentialProvider.Tokens;

/// <summary>
/// How long the kubelet may cache the credential: until the token's exp, less a safety margin of
/// 10 % of the remaining lifetime and at least 30 s, so a cached credential never reaches the
/// registry already expired (clock skew, pull time).
/// </summary>
internal static class CacheLifetime
{
    public static readonly TimeSpan MinimumMargin = TimeSpan.FromSeconds(30);

    public static bool TryCompute(DateTimeOffset expiresAt, DateTimeOffset now, out TimeSpan lifetime, out string error)
    {
        var remaining = expiresAt - now;
        var margin = TimeSpan.FromTicks(Math.Max(MinimumMargin.Ticks, remaining.Ticks / 10));
        lifetime = TimeSpan.FromSeconds(Math.Floor((remaining - margin).TotalSeconds));
        if (lifetime <= TimeSpan.Zero)
        {
            lifetime = TimeSpan.Zero;
            error = remaining <= TimeSpan.Zero
                ? $"serviceAccountToken expired at {expiresAt:yyyy-MM-ddTHH:mm:ssZ} ({GoDuration.Format(-remaining)} ago)"
                : $"serviceAccountToken expires at {expiresAt:yyyy-MM-ddTHH:mm:ssZ}, within the {GoDuration.Format(margin)} safety margin";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
