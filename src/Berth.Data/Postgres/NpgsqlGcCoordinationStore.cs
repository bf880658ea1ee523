using Berth.Data.Schema;
using Berth.Data.Stores;
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
internal sealed class NpgsqlGcCoordinationStore(NpgsqlDataSource dataSource, PostgresDialect dialect, TimeProvider time) : GcCoordinationStore(dialect, time)
{
    public override Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await LockDigestAsync(connection, transaction, digest, cancellationToken);
                await using var claim = CreateCommand(connection, transaction, GarbageCollectionSql.ClaimBlob);
                AddText(claim, "@digest", digest.ToString());
                AddBigint(claim, "@now", NowMilliseconds());
                return await claim.ExecuteNonQueryAsync(cancellationToken) > 0;
            },
            cancellationToken);
}
