using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>A snapshot's facts: its schema version and every blob it references (manifests are blobs too).</summary>
public sealed record SqliteSnapshot(int SchemaVersion, IReadOnlyList<SqliteSnapshotBlob> Blobs);

/// <param name="Digest">The blob's digest, <c>algorithm:hex</c>.</param>
/// <param name="Size">Its size as the metadata recorded it.</param>
public sealed record SqliteSnapshotBlob(string Digest, long Size);

/// <summary>
/// An online copy of the SQLite metadata store with <c>VACUUM INTO</c>: one read transaction, so the copy
/// is consistent as of one instant while the server keeps writing (WAL readers never block the writer).
/// </summary>
public static class SqliteBackup
{
    /// <summary>
    /// Copies <paramref name="databasePath"/> to <paramref name="targetPath"/> (which must not exist), drops
    /// the copy's upload sessions (their staged bytes are not part of a backup: clients start them again)
    /// and reads what the copy references.
    /// </summary>
    /// <exception cref="SqliteException">The database cannot be read or is not Berth's.</exception>
    public static async Task<SqliteSnapshot> SnapshotAsync(string databasePath, string targetPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"no metadata database at {databasePath}: is this Berth's data folder (--data, storage.dataDir)?", databasePath);
        }

        await using (var source = await OpenAsync(databasePath, SqliteOpenMode.ReadWrite, cancellationToken))
        {
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = "PRAGMA busy_timeout = 10000; VACUUM INTO @target;";
            vacuum.Parameters.AddWithValue("@target", targetPath);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var copy = await OpenAsync(targetPath, SqliteOpenMode.ReadWrite, cancellationToken);
        await ExecuteAsync(copy, "DELETE FROM upload_sessions", cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(copy, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var blobs = new List<SqliteSnapshotBlob>();
        await using (var command = copy.CreateCommand())
        {
            command.CommandText = """
                SELECT digest, MAX(size) FROM (
                    SELECT digest, size FROM blob_links
                    UNION ALL
                    SELECT digest, size FROM manifests
                ) GROUP BY digest ORDER BY digest
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobs.Add(new SqliteSnapshotBlob(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        return new SqliteSnapshot(version, blobs);
    }

    /// <summary>The schema version of a backup's database (0 when it holds none), to refuse restoring a newer one.</summary>
    public static async Task<int> ReadSchemaVersionAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(databasePath, SqliteOpenMode.ReadOnly, cancellationToken);
        return Convert.ToInt32(await ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<SqliteConnection> OpenAsync(string path, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        // Unpooled: the file is handed to the caller (moved, copied) as soon as this returns.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
