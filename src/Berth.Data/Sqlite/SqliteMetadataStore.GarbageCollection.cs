using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>
/// Garbage collection's facts (<see cref="IGcCandidateStore"/>, <see cref="IGcCoordinationStore"/>).
/// SQLite has one writer at a time (<c>BEGIN IMMEDIATE</c>), so each conditional delete or claim is
/// already serialized with every link, mount and manifest push.
/// </summary>
public sealed partial class SqliteMetadataStore
{
    public Task<IReadOnlyList<RepositoryDigest>> ListUntaggedManifestsAsync(DateTimeOffset pushedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(GarbageCollectionSql.ListUntaggedManifests, pushedBefore, after, limit, cancellationToken);

    public async Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using (var check = CreateCommand(connection, GarbageCollectionSql.IsUntaggedManifest, transaction))
        {
            BindKey(check, manifest, pushedBefore);
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        foreach (var sql in DeleteManifestSql)
        {
            await using var command = CreateCommand(connection, sql, transaction);
            command.Parameters.AddWithValue("@repository", manifest.Repository);
            command.Parameters.AddWithValue("@digest", manifest.Digest.ToString());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<RepositoryDigest>> ListStaleLinksAsync(DateTimeOffset linkedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(GarbageCollectionSql.ListStaleLinks, linkedBefore, after, limit, cancellationToken);

    public async Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.DropStaleLink);
        BindKey(command, link, linkedBefore);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var wanted = digests.Distinct().ToList();
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenReadAsync(cancellationToken);
        foreach (var chunk in wanted.Chunk(InListChunk))
        {
            var inList = "IN (" + InListParameters(chunk.Length) + ")";
            await using var command = CreateCommand(connection, GarbageCollectionSql.HeldDigests.Replace("{0}", inList, StringComparison.Ordinal));
            command.Parameters.AddWithValue("@before", linkedBefore.ToUnixTimeMilliseconds());
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.AddWithValue(InListParameterName(i), chunk[i].ToString());
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetString(0));
            }
        }

        return wanted.Where(d => !held.Contains(d.ToString())).ToList();
    }

    public async Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.AcquireLease);
        command.Parameters.AddWithValue("@holder", holder);
        command.Parameters.AddWithValue("@until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@now", NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseLease);
        command.Parameters.AddWithValue("@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClaimBlob);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        command.Parameters.AddWithValue("@now", NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ReleaseBlobClaim);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.ClearBlobClaims);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<RepositoryDigest>> ListPageAsync(string sql, DateTimeOffset before, RepositoryDigest? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        await using var connection = await OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, sql);
        command.Parameters.AddWithValue("@before", before.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@after_repository", OrNull(after?.Repository));
        command.Parameters.AddWithValue("@after_digest", OrNull(after?.Digest.ToString()));
        command.Parameters.AddWithValue("@limit", limit);
        var page = new List<RepositoryDigest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new RepositoryDigest(reader.GetString(0), Digest.Parse(reader.GetString(1))));
        }

        return page;
    }

    private static void BindKey(SqliteCommand command, RepositoryDigest key, DateTimeOffset before)
    {
        command.Parameters.AddWithValue("@repository", key.Repository);
        command.Parameters.AddWithValue("@digest", key.Digest.ToString());
        command.Parameters.AddWithValue("@before", before.ToUnixTimeMilliseconds());
    }
}
