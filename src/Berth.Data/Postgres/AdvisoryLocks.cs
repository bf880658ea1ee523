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

    /// <summary>
    /// First key of the per-digest locks ("bert" in ASCII); the second is <c>hashtext(digest)</c>. A blob
    /// claim and a mount of the same digest take it, so one of them sees the other's commit.
    /// </summary>
    public const int BlobDigestClass = 0x62657274;

    public const string AcquireSql = "SELECT pg_advisory_xact_lock(@key)";

    public const string AcquireDigestSql = "SELECT pg_advisory_xact_lock(@class, hashtext(@digest))";
}
