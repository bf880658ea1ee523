using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>
/// How garbage collection keeps out of the way of other runs and of pushes (<see cref="IGcCoordinationStore"/>).
/// The lease is one conditional UPDATE of one row; a blob claim takes the digest's advisory lock, as a
/// mount of that digest does, so one of the two sees the other's commit.
/// </summary>
internal sealed class NpgsqlGcCoordinationStore(NpgsqlDataSource dataSource, TimeProvider time) : IGcCoordinationStore
{
    public async Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        // One UPDATE of one row: two replicas asking at once queue on the row lock, the second sees the first's holder.
        await using var command = dataSource.CreateCommand(GarbageCollectionSql.AcquireLease);
        AddText(command, "@holder", holder);
        AddBigint(command, "@until", until.ToUnixTimeMilliseconds());
        AddBigint(command, "@now", NowMilliseconds(time));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GarbageCollectionSql.ReleaseLease);
        AddText(command, "@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await LockDigestAsync(connection, transaction, digest, cancellationToken);
                await using var claim = CreateCommand(connection, transaction, GarbageCollectionSql.ClaimBlob);
                AddText(claim, "@digest", digest.ToString());
                AddBigint(claim, "@now", NowMilliseconds(time));
                return await claim.ExecuteNonQueryAsync(cancellationToken) > 0;
            },
            cancellationToken);

    public async Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GarbageCollectionSql.ReleaseBlobClaim);
        AddText(command, "@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GarbageCollectionSql.ClearBlobClaims);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
