using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Reads garbage collection's claims (<c>blob_sweeps</c>) for a blob store without an atomic rename (S3):
/// one read on a pooled connection per blob commit, the same statement for every provider.
/// </summary>
internal sealed class BlobClaimProbe(ProviderDialect dialect) : IBlobClaimProbe
{
    public async Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.IsBlobClaimed);
        AddText(command, "@digest", digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
