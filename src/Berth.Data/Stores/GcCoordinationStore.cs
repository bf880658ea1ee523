using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// How garbage collection keeps out of the way of other runs and of pushes (<see cref="IGcCoordinationStore"/>):
/// the lease and the claims' release, one statement each for every provider. The lease is one
/// conditional UPDATE of one row, so two replicas asking at once queue on it and the second sees the
/// first's holder. A provider's subclass claims a digest its own way, serialized with a mount of it.
/// </summary>
internal abstract class GcCoordinationStore(ProviderDialect dialect, TimeProvider time) : IGcCoordinationStore
{
    public abstract Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken);

    public async Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.AcquireLease);
        AddText(command, "@holder", holder);
        AddBigint(command, "@until", until.ToUnixTimeMilliseconds());
        AddBigint(command, "@now", NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseLease);
        AddText(command, "@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseBlobClaim);
        AddText(command, "@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClearBlobClaims);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected long NowMilliseconds() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
