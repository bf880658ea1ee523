namespace Berth.Data.Postgres;

/// <summary>
/// Keys of the transaction-scoped advisory locks that serialize what must not interleave across
/// replicas. Advisory locks live per database, so Berth databases on one server never wait for each
/// other, and they conflict with nothing else (not VACUUM, not readers).
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Schema migrations ("berth" in ASCII).</summary>
    public const long Migration = 0x6265727468;

    /// <summary>Audit appends ("berthaud" in ASCII).</summary>
    public const long AuditAppend = 0x6265727468617564;

    public const string AcquireSql = "SELECT pg_advisory_xact_lock(@key)";
}
