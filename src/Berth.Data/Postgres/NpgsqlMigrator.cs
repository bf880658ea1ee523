using Berth.Data.Schema;
using Berth.Registry.Metadata;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>Brings the PostgreSQL database to the current schema (<see cref="IMetadataStoreLifecycle"/>).</summary>
internal sealed class NpgsqlMigrator(NpgsqlDataSource dataSource, TimeProvider time, string target) : IMetadataStoreLifecycle
{
    /// <summary>
    /// Applies pending migrations in one transaction that first takes a transaction-scoped advisory
    /// lock: of several replicas starting together one migrates, the others wait and then find every
    /// version applied. DDL is transactional in PostgreSQL, so a failed step leaves no half-made schema.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = CreateCommand(connection, transaction, AdvisoryLocks.AcquireSql))
        {
            lockCommand.Parameters.AddWithValue("@key", AdvisoryLocks.Migration);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = CreateCommand(connection, transaction, PostgresDialect.Translate(SchemaMigrations.CreateMigrationsTable)))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken);
        var known = SchemaMigrations.All.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(
                $"the database '{target}' has schema version {applied.Max()}, newer than this Berth knows ({known}); upgrade Berth");
        }

        foreach (var migration in SchemaMigrations.All.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)))
        {
            await using (var step = CreateCommand(connection, transaction, PostgresDialect.Translate(migration.Sql)))
            {
                await step.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = CreateCommand(
                connection,
                transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)");
            record.Parameters.AddWithValue("@version", migration.Version);
            record.Parameters.AddWithValue("@name", migration.Name);
            record.Parameters.AddWithValue("@applied_at", NowMilliseconds(time));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = CreateCommand(connection, transaction, "SELECT version FROM schema_migrations");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
