namespace Berth.Auth;

/// <summary>The outcome of a key sync request; each outcome maps to one HTTP status.</summary>
/// <param name="Reason">For <see cref="KeySyncOutcome.Unauthorized"/>: the token's rejection reason code.</param>
/// <param name="Kids">For <see cref="KeySyncOutcome.Synced"/>: the kids of the keys now trusted.</param>
/// <param name="Change">For <see cref="KeySyncOutcome.Synced"/>: the kids added and removed, for the audit trail.</param>
/// <param name="RetryAfter">For <see cref="KeySyncOutcome.RateLimited"/>.</param>
internal sealed record KeySyncResult(
    KeySyncOutcome Outcome,
    string Message,
    string? Reason = null,
    IReadOnlyList<string>? Kids = null,
    DateTimeOffset? SyncedAt = null,
    string? Change = null,
    TimeSpan? RetryAfter = null)
{
    public static KeySyncResult Limited(TimeSpan wait) =>
        new(KeySyncOutcome.RateLimited, "too many requests: wait and retry", "rate_limited", RetryAfter: wait);
}

internal enum KeySyncOutcome
{
    Synced,

    /// <summary>No token, or a token the keys trusted now do not accept.</summary>
    Unauthorized,

    /// <summary>A valid token of another issuer, or one that matches no robot holding <c>jwks-sync</c>.</summary>
    Forbidden,

    /// <summary>The body is not a usable public key set, or it would not accept the token that sent it.</summary>
    Invalid,
    NotFound,

    /// <summary>The provider fetches its keys from a URL.</summary>
    Conflict,
    RateLimited,
}
