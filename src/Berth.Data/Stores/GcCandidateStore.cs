using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// What garbage collection may remove (<see cref="IGcCandidateStore"/>): the keyset pages, read the same
/// way on every provider. A provider's subclass removes each candidate its own way, re-checking its
/// condition atomically against concurrent pushes, and finds collectible digests with its own IN list or array.
/// </summary>
internal abstract class GcCandidateStore(ProviderDialect dialect) : IGcCandidateStore
{
    public abstract Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken);

    public abstract Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken);

    public Task<IReadOnlyList<RepositoryDigest>> ListUntaggedManifestsAsync(DateTimeOffset pushedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(after is null ? GarbageCollectionSql.ListUntaggedManifests : GarbageCollectionSql.ListUntaggedManifestsAfter, pushedBefore, after, limit, cancellationToken);

    public Task<IReadOnlyList<RepositoryDigest>> ListStaleLinksAsync(DateTimeOffset linkedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(after is null ? GarbageCollectionSql.ListStaleLinks : GarbageCollectionSql.ListStaleLinksAfter, linkedBefore, after, limit, cancellationToken);

    private async Task<IReadOnlyList<RepositoryDigest>> ListPageAsync(string sql, DateTimeOffset before, RepositoryDigest? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, sql);
        AddBigint(command, "@before", before.ToUnixTimeMilliseconds());
        if (after is not null)
        {
            AddText(command, "@after_repository", after.Repository);
            AddText(command, "@after_digest", after.Digest.ToString());
        }

        AddInteger(command, "@limit", limit);
        var page = new List<RepositoryDigest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new RepositoryDigest(reader.GetString(0), Digest.Parse(reader.GetString(1))));
        }

        return page;
    }
}
