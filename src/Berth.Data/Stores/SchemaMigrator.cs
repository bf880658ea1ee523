using System.Data.Common;
using Berth.Data.Schema;
using Berth.Registry.Metadata;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Brings a database to the current schema (<see cref="IMetadataStoreLifecycle"/>): every pending step of
/// <see cref="SchemaMigrations.All"/>, in version order, in one transaction with its record in
/// <c>schema_migrations</c>. A provider's subclass opens that transaction so that replicas starting
/// together apply each step once, and spells the portable SQL its way.
/// </summary>
internal abstract class SchemaMigrator(TimeProvider time, string target) : IMetadataStoreLifecycle
{
    private static int Known => SchemaMigrations.All.Max(m => m.Version);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await using (var create = CreateCommand(connection, transaction, Translate(SchemaMigrations.CreateMigrationsTable)))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken);
        if (applied.Count > 0 && applied.Max() > Known)
        {
            throw new SchemaTooNewException(target, applied.Max(), Known);
        }

        foreach (var migration in SchemaMigrations.All.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)))
        {
            await using (var step = CreateCommand(connection, transaction, Translate(migration.Sql)))
            {
                await step.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = CreateCommand(
                connection,
                transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)");
            AddInteger(record, "@version", migration.Version);
            AddText(record, "@name", migration.Name);
            AddBigint(record, "@applied_at", time.GetUtcNow().ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The schema's standing without changing anything: a missing database is not created, a missing
    /// migrations table is not made (both mean every migration is pending).
    /// </summary>
    public async Task<SchemaStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        var exists = await ExistsAsync(cancellationToken);
        if (exists)
        {
            await using var connection = await OpenExistingAsync(cancellationToken);
            await using (var table = DbCommands.CreateCommand(connection, MigrationsTableExistsSql))
            {
                exists = Convert.ToInt64(await table.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
            }

            if (exists)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken);
            }
        }

        var pending = SchemaMigrations.All
            .OrderBy(m => m.Version)
            .Where(m => !applied.Contains(m.Version))
            .Select(m => $"{m.Version} {m.Name}")
            .ToList();
        return new SchemaStatus(exists, applied.Count == 0 ? 0 : applied.Max(), Known, pending);
    }

    /// <summary>Whether the database exists at all (SQLite: its file); a server database is taken to exist.</summary>
    protected virtual ValueTask<bool> ExistsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>A connection to an existing database for reading the schema's standing.</summary>
    protected abstract ValueTask<DbConnection> OpenExistingAsync(CancellationToken cancellationToken);

    /// <summary>One row, one count: 1 when <c>schema_migrations</c> exists.</summary>
    protected abstract string MigrationsTableExistsSql { get; }

    /// <summary>A connection to migrate on, the database (or its file) created when missing.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The migration's transaction, holding what keeps other replicas' migrations out until it ends.</summary>
    protected abstract ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The provider's spelling of a portable statement of <see cref="SchemaMigrations"/>.</summary>
    protected abstract string Translate(string portableSql);

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = DbCommands.CreateCommand(connection, sql);
        command.Transaction = transaction;
        return command;
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
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
