using Berth.Access.Scopes;
using Berth.Access.Tokens;

namespace Berth.Auth;

/// <summary>An issued registry token (with its refresh token when one was asked for), or a refusal.</summary>
internal sealed record TokenResult(IssuedRegistryToken? Token, IReadOnlyList<ResourceScope> Granted, string? RefreshToken, string? Reason, string? Message)
{
    public bool Issued => Token is not null;

    /// <summary>When the refresh token stops working (it does not move on a refresh grant).</summary>
    public DateTimeOffset? RefreshExpiresAt { get; init; }

    /// <summary>The robots the caller matched (empty when refused or anonymous), for the request log.</summary>
    public IReadOnlyList<string> Robots { get; init; } = [];

    public const string RateLimited = "rate_limited";

    /// <summary>How long a rate-limited caller should wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static TokenResult Refused(string reason, string message) => new(null, [], null, reason, message);

    public static TokenResult Limited(TimeSpan retryAfter) =>
        new(null, [], null, RateLimited, "too many token requests: wait and retry") { RetryAfter = retryAfter };
}
