namespace Berth.Access.Audit;

/// <summary>
/// One audited event: a token exchange (accepted or refused) or a registry operation. Never holds a
/// token or secret: workloads are identified by issuer, subject and <c>jti</c>.
/// </summary>
/// <param name="Kind">token, push, pull, delete, admin, key-sync or gc.</param>
/// <param name="Outcome">accepted or refused.</param>
/// <param name="Robots">Matched robots, comma separated.</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Kind,
    string Outcome,
    string? Issuer = null,
    string? Subject = null,
    string? TokenId = null,
    string? Robots = null,
    string? Repository = null,
    string? Reference = null,
    string? Digest = null,
    string? ClientIp = null,
    string? Reason = null)
{
    /// <summary>The longest text a stored field keeps, marker included.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>Ends a field that was cut to <see cref="MaxFieldLength"/>.</summary>
    public const string TruncatedMarker = "…[truncated]";

    /// <summary>Store-assigned, increasing; 0 before it is stored.</summary>
    public long Id { get; init; }

    /// <summary>
    /// Issuer, subject and jti were read from a token that failed verification (a refused exchange): they
    /// are what the caller claimed, and prove nothing about who it is.
    /// </summary>
    public bool Unverified { get; init; }

    /// <summary>
    /// This entry with every text field cut to <see cref="MaxFieldLength"/> and marked. Refused exchanges
    /// carry <c>iss</c>, <c>sub</c> and <c>jti</c> from a token nobody verified: uncut, a caller could store
    /// kilobytes per request. Stores apply it to everything they append.
    /// </summary>
    public AuditEntry Capped() => !NeedsCap() ? this : this with
    {
        Kind = Cap(Kind)!,
        Outcome = Cap(Outcome)!,
        Issuer = Cap(Issuer),
        Subject = Cap(Subject),
        TokenId = Cap(TokenId),
        Robots = Cap(Robots),
        Repository = Cap(Repository),
        Reference = Cap(Reference),
        Digest = Cap(Digest),
        ClientIp = Cap(ClientIp),
        Reason = Cap(Reason),
    };

    // Every entry is capped on its way to the store: copy only the rare one that needs it.
    private bool NeedsCap() =>
        Over(Kind) || Over(Outcome) || Over(Issuer) || Over(Subject) || Over(TokenId) || Over(Robots)
        || Over(Repository) || Over(Reference) || Over(Digest) || Over(ClientIp) || Over(Reason);

    private static bool Over(string? value) => value is not null && value.Length > MaxFieldLength;

    private static string? Cap(string? value) =>
        value is null || value.Length <= MaxFieldLength ? value : string.Concat(value.AsSpan(0, MaxFieldLength - TruncatedMarker.Length), TruncatedMarker);
}
