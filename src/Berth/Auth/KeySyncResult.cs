namespace Berth.Auth;

/// <summary>The outcome of a key sync request; each outcome maps to one HTTP status.</summary>
/// <param name="Reason">For <see cref="KeySyncOutcome.Unauthorized"/>: the token's rejection reason code.</param>
/// <param name="Kids">For <see cref="KeySyncOutcome.Synced"/>: the kids of the keys now trusted.</param>
internal sealed record KeySyncResult(KeySyncOutcome Outcome, string Message, string? Reason = null, IReadOnlyList<string>? Kids = null, DateTimeOffset? SyncedAt = null);

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
}
