using Berth.Data.Schema;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Brings the SQLite file to the current schema (<see cref="IMetadataStoreLifecycle"/>).</summary>
internal sealed class SqliteMigrator(SqliteDataSource database) : IMetadataStoreLifecycle
{
    private const string SqliteIdentityKey = "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// <summary>
    /// Creates the file (and its folder) when missing, switches it to WAL mode and applies pending
    /// migrations in one immediate transaction, so two replicas starting together apply each once.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(database.DatabasePath));
        if (!string.IsNullOrEmpty(folder) && !IsInMemory(database.DatabasePath))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await database.OpenWriteAsync(cancellationToken);

        // journal_mode is stored in the file and cannot change inside a transaction.
        await using (var wal = CreateCommand(connection, "PRAGMA journal_mode = WAL;"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = BeginWrite(connection);
        await using (var create = CreateCommand(connection, SchemaMigrations.CreateMigrationsTable, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken);
        var known = SchemaMigrations.All.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(
                $"the database '{database.DatabasePath}' has schema version {applied.Max()}, newer than this Berth knows ({known}); upgrade Berth");
        }

        foreach (var migration in SchemaMigrations.All.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            await using (var step = CreateCommand(connection, migration.Sql.Replace(SchemaMigrations.IdentityToken, SqliteIdentityKey, StringComparison.Ordinal), transaction))
            {
                await step.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = CreateCommand(
                connection,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)",
                transaction);
            record.Parameters.AddWithValue("@version", migration.Version);
            record.Parameters.AddWithValue("@name", migration.Name);
            record.Parameters.AddWithValue("@applied_at", database.NowMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = CreateCommand(connection, "SELECT version FROM schema_migrations", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static bool IsInMemory(string dataSource) =>
        dataSource == ":memory:" || dataSource.StartsWith("file::memory:", StringComparison.Ordinal);
}
