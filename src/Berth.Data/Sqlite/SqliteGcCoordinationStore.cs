using Berth.Data.Schema;
using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>
/// How garbage collection keeps out of the way of other runs and of pushes (<see cref="IGcCoordinationStore"/>).
/// Each lease or claim is one statement, and SQLite's one writer serializes it with every mount.
/// </summary>
internal sealed class SqliteGcCoordinationStore(SqliteDataSource database, SqliteDialect dialect) : GcCoordinationStore(dialect, database.Time)
{
    public override async Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClaimBlob);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        command.Parameters.AddWithValue("@now", NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
