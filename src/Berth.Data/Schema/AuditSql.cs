namespace Berth.Data.Schema;

/// <summary>The audit log columns, the same for every provider (inserts differ: id allocation is provider-specific).</summary>
internal static class AuditSql
{
    public const string AuditColumns =
        "id, occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason";
}
