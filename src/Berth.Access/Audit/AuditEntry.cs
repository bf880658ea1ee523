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
    /// <summary>Store-assigned, increasing; 0 before it is stored.</summary>
    public long Id { get; init; }
}
