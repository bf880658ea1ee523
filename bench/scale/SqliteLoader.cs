using Microsoft.Data.Sqlite;

namespace Berth.Bench.Scale;

/// <summary>
/// Fills a SQLite metadata store that Berth already migrated: prepared INSERTs, one transaction per
/// <see cref="Batch"/> rows, synchronous off (a benchmark's scratch database). The secondary indexes of
/// the filled tables are dropped first and made again afterwards from their own CREATE text, so the
/// store ends with exactly the schema the migrations made.
/// </summary>
internal sealed class SqliteLoader(string path, Layout layout)
{
    private const int Batch = 10_000;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144;", cancellationToken);
        var indexes = await SecondaryIndexesAsync(connection, cancellationToken);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", cancellationToken);
        }

        await InsertAsync(connection, "INSERT INTO repositories (name, created_at) VALUES ($1, $2)",
            layout.AllRepositories().Select(r => new object?[] { r, layout.PushedAt }), cancellationToken);
        await InsertAsync(connection,
            "INSERT INTO manifests (repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            layout.AllManifests().Select(m => new object?[]
            {
                m.Repository, m.Manifest.Digest, Layout.ImageMediaType, (long)m.Manifest.Content.Length, m.ArtifactType, m.Subject, m.Annotations, layout.PushedAt,
            }),
            cancellationToken);
        await InsertAsync(connection, "INSERT INTO manifest_references (repository, manifest_digest, kind, digest) VALUES ($1, $2, 'blob', $3)",
            Rows.References(layout).Select(r => new object?[] { r.Repository, r.Manifest, r.Digest }), cancellationToken);
        await InsertAsync(connection, "INSERT INTO tags (repository, name, manifest_digest, updated_at) VALUES ($1, $2, $3, $4)",
            layout.AllManifests().Where(m => m.Tag is not null).Select(m => new object?[] { m.Repository, m.Tag, m.Manifest.Digest, layout.PushedAt }),
            cancellationToken);
        await InsertAsync(connection, "INSERT INTO blob_links (repository, digest, size, linked_at) VALUES ($1, $2, $3, $4)",
            Rows.Links(layout).Select(l => new object?[] { l.Repository, l.Digest, l.Size, layout.PushedAt }), cancellationToken);
        foreach (var (_, create) in indexes)
        {
            await ExecuteAsync(connection, create, cancellationToken);
        }

        await ExecuteAsync(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
    }

    private static async Task<List<(string Name, string Create)>> SecondaryIndexesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL " +
            "AND tbl_name IN ('repositories', 'manifests', 'manifest_references', 'tags', 'blob_links')";
        var indexes = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static async Task InsertAsync(SqliteConnection connection, string sql, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        SqliteTransaction? transaction = null;
        SqliteCommand? command = null;
        var inBatch = 0;
        try
        {
            foreach (var row in rows)
            {
                if (command is null)
                {
                    transaction = connection.BeginTransaction();
                    command = connection.CreateCommand();
                    command.CommandText = sql;
                    command.Transaction = transaction;
                    for (var i = 0; i < row.Length; i++)
                    {
                        command.Parameters.Add(new SqliteParameter($"${i + 1}", null));
                    }

                    command.Prepare();
                }

                for (var i = 0; i < row.Length; i++)
                {
                    command.Parameters[i].Value = row[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                if (++inBatch == Batch)
                {
                    await transaction!.CommitAsync(cancellationToken);
                    await command.DisposeAsync();
                    await transaction.DisposeAsync();
                    (command, transaction, inBatch) = (null, null, 0);
                }
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
