using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>
/// How garbage collection keeps out of the way of other runs and of pushes (<see cref="IGcCoordinationStore"/>).
/// Each lease or claim is one statement, and SQLite's one writer serializes it with every mount.
/// </summary>
internal sealed class SqliteGcCoordinationStore(SqliteDataSource database) : IGcCoordinationStore
{
    public async Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.AcquireLease);
        command.Parameters.AddWithValue("@holder", holder);
        command.Parameters.AddWithValue("@until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@now", database.NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseLease);
        command.Parameters.AddWithValue("@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClaimBlob);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        command.Parameters.AddWithValue("@now", database.NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseBlobClaim);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClearBlobClaims);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
