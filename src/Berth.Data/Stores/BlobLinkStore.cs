using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Schema.RepositorySql;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Blob links (<see cref="IBlobLinkStore"/>): the link check and the unlink, written once for every
/// provider. A provider's subclass links and mounts its own way (SQLite's one writer, PostgreSQL's
/// digest and row locks) and finds unlinked digests with its own IN list or array.
/// </summary>
internal abstract class BlobLinkStore(ProviderDialect dialect) : IBlobLinkStore
{
    public abstract Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken);

    public abstract Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>The hot path of every blob HEAD and GET: one indexed lookup.</summary>
    public async Task<long?> GetLinkedBlobSizeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, LinkedBlobSizeSql);
        AddText(command, "@repository", repository);
        AddText(command, "@digest", digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is long size ? size : null;
    }

    public async Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, UnlinkBlobSql);
        AddText(command, "@repository", repository);
        AddText(command, "@digest", digest.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
