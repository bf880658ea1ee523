using Microsoft.Data.Sqlite;
using Npgsql;

namespace Berth.Data;

/// <summary>
/// Tells a metadata store that is unreachable for now (PostgreSQL restarting, its connections cut, a
/// connection refused or timed out, SQLite busy past its timeout) from a real fault. The first kind is
/// the caller's cue to answer 503 and retry later; nothing half-written stays behind, since every write
/// is one statement or one transaction that the database rolls back when its connection goes.
/// </summary>
public static class MetadataStoreFaults
{
    /// <summary>SQLSTATE classes and codes that mean "the server is not there right now".</summary>
    private static readonly string[] UnavailableStates =
    [
        "08",    // connection exception (08000, 08003 no connection, 08006 connection failure, …)
        "57P01", // admin_shutdown: pg_ctl stop -m fast, or a failover terminating sessions
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now: starting up or shutting down
        "53300", // too_many_connections
    ];

    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.IsTransient || UnavailableStates.Any(state => postgres.SqlState.StartsWith(state, StringComparison.Ordinal));
                case NpgsqlException:
                    // Not a server error: the connection itself failed (refused, reset, timed out).
                    return true;
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                    // SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: another writer holds the file.
                    return true;
            }
        }

        return false;
    }

    /// <summary>The database's own disk is full: SQLite's <c>SQLITE_FULL</c>, PostgreSQL's <c>disk_full</c> (53100).</summary>
    public static bool IsFull(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: 13 } or PostgresException { SqlState: "53100" })
            {
                return true;
            }
        }

        return false;
    }
}
