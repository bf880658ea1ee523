using System.Data.Common;
using Berth.Data.Schema;
using Berth.Data.Stores;
using Microsoft.Data.Sqlite;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>
/// Creates the file (and its folder) when missing, switches it to WAL mode and applies pending
/// migrations in one immediate transaction, so two replicas starting together apply each once.
/// </summary>
internal sealed class SqliteMigrator(SqliteDataSource database) : SchemaMigrator(database.Time, database.DatabasePath)
{
    private const string SqliteIdentityKey = "INTEGER PRIMARY KEY AUTOINCREMENT";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(database.DatabasePath));
        if (!string.IsNullOrEmpty(folder) && !database.IsInMemory)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = await database.OpenWriteAsync(cancellationToken);
        try
        {
            // journal_mode is stored in the file and cannot change inside a transaction.
            await using var wal = CreateCommand(connection, "PRAGMA journal_mode = WAL;");
            await wal.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override string MigrationsTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    protected override ValueTask<bool> ExistsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(database.IsInMemory || File.Exists(database.DatabasePath));

    protected override async ValueTask<DbConnection> OpenExistingAsync(CancellationToken cancellationToken) =>
        await database.OpenReadAsync(cancellationToken);

    /// <summary><c>BEGIN IMMEDIATE</c>: the write lock for the whole migration.</summary>
    protected override ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(BeginWrite((SqliteConnection)connection));

    protected override string Translate(string portableSql) =>
        portableSql.Replace(SchemaMigrations.IdentityToken, SqliteIdentityKey, StringComparison.Ordinal);
}
