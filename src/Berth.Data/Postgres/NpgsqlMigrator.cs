using System.Data.Common;
using Berth.Data.Stores;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>
/// Applies pending migrations in one transaction that first takes a transaction-scoped advisory
/// lock: of several replicas starting together one migrates, the others wait and then find every
/// version applied. DDL is transactional in PostgreSQL, so a failed step leaves no half-made schema.
/// </summary>
internal sealed class NpgsqlMigrator(NpgsqlDataSource dataSource, TimeProvider time, string target) : SchemaMigrator(time, target)
{
    protected override string MigrationsTableExistsSql =>
        "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'";

    protected override ValueTask<DbConnection> OpenExistingAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    protected override ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        ((DbDataSource)dataSource).OpenConnectionAsync(cancellationToken);

    protected override async ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var transaction = await npgsql.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var lockCommand = CreateCommand(npgsql, transaction, AdvisoryLocks.AcquireSql);
            lockCommand.Parameters.AddWithValue("@key", AdvisoryLocks.Migration);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override string Translate(string portableSql) => PostgresDialect.Translate(portableSql);
}
