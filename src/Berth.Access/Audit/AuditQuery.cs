namespace Berth.Access.Audit;

/// <summary>Filters for reading the audit log; null means any. Results are newest first, paged by <see cref="BeforeId"/>.</summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Robot = null,
    string? Issuer = null,
    string? Subject = null,
    string? Repository = null,
    string? Outcome = null,
    string? Kind = null,
    long? BeforeId = null,
    int Limit = 100,
    string? Reason = null);
