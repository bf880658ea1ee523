using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Berth.Data.Postgres;

/// <summary>
/// Garbage collection's facts (<see cref="IGcCandidateStore"/>, <see cref="IGcCoordinationStore"/>).
/// Under READ COMMITTED a check and a write of two transactions can interleave, so each removal first
/// locks what a concurrent push would lock: the manifest row (a push share-locks it), the link row (a
/// mount share-locks its source link), or the digest's advisory lock (a claim and a mount of the same
/// digest take it), and then re-checks in a new statement that sees every commit made meanwhile.
/// </summary>
public sealed partial class NpgsqlMetadataStore
{
    private const string LockLinkSql =
        "SELECT 1 FROM blob_links WHERE repository = @repository AND digest = @digest FOR UPDATE";

    public Task<IReadOnlyList<RepositoryDigest>> ListUntaggedManifestsAsync(DateTimeOffset pushedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(GarbageCollectionSql.ListUntaggedManifests, pushedBefore, after, limit, cancellationToken);

    public Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                if (!await LockedAndStillTrueAsync(connection, transaction, LockManifestSql, GarbageCollectionSql.IsUntaggedManifest, manifest, pushedBefore, cancellationToken))
                {
                    return false;
                }

                foreach (var sql in DeleteManifestSql)
                {
                    await using var command = CreateCommand(connection, transaction, sql);
                    AddText(command, "@repository", manifest.Repository);
                    AddText(command, "@digest", manifest.Digest.ToString());
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<RepositoryDigest>> ListStaleLinksAsync(DateTimeOffset linkedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken) =>
        ListPageAsync(GarbageCollectionSql.ListStaleLinks, linkedBefore, after, limit, cancellationToken);

    public Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                // The row lock waits for a mount reading this link as its source; the delete that follows
                // is a new statement, so it sees a re-link's fresh time or a manifest's new reference.
                await using (var lockRow = CreateCommand(connection, transaction, LockLinkSql))
                {
                    AddText(lockRow, "@repository", link.Repository);
                    AddText(lockRow, "@digest", link.Digest.ToString());
                    if (await lockRow.ExecuteScalarAsync(cancellationToken) is null)
                    {
                        return false;
                    }
                }

                await using var delete = CreateCommand(connection, transaction, GarbageCollectionSql.DropStaleLink);
                BindKey(delete, link, linkedBefore);
                return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var command = CreateCommand(GarbageCollectionSql.HeldDigests.Replace("{0}", "= ANY (@digests)", StringComparison.Ordinal));
        AddBigint(command, "@before", linkedBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@digests", NpgsqlDbType.Array | NpgsqlDbType.Text, wanted.Select(d => d.ToString()).ToArray());
        var held = new HashSet<string>(await ReadStringsAsync(command, cancellationToken), StringComparer.Ordinal);
        return wanted.Where(d => !held.Contains(d.ToString())).ToList();
    }

    public async Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        // One UPDATE of one row: two replicas asking at once queue on the row lock, the second sees the first's holder.
        await using var command = CreateCommand(GarbageCollectionSql.AcquireLease);
        AddText(command, "@holder", holder);
        AddBigint(command, "@until", until.ToUnixTimeMilliseconds());
        AddBigint(command, "@now", NowMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(GarbageCollectionSql.ReleaseLease);
        AddText(command, "@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                await LockDigestAsync(connection, transaction, digest, cancellationToken);
                await using var claim = CreateCommand(connection, transaction, GarbageCollectionSql.ClaimBlob);
                AddText(claim, "@digest", digest.ToString());
                AddBigint(claim, "@now", NowMilliseconds());
                return await claim.ExecuteNonQueryAsync(cancellationToken) > 0;
            },
            cancellationToken);

    public async Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(GarbageCollectionSql.ReleaseBlobClaim);
        AddText(command, "@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(GarbageCollectionSql.ClearBlobClaims);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The digest's advisory lock until the transaction ends; a hash collision only makes two digests wait for each other.</summary>
    private static async Task LockDigestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Digest digest, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, AdvisoryLocks.AcquireDigestSql);
        command.Parameters.AddWithValue("@class", NpgsqlDbType.Integer, AdvisoryLocks.BlobDigestClass);
        AddText(command, "@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> LockedAndStillTrueAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string lockSql,
        string checkSql,
        RepositoryDigest key,
        DateTimeOffset before,
        CancellationToken cancellationToken)
    {
        await using (var lockRow = CreateCommand(connection, transaction, lockSql))
        {
            AddText(lockRow, "@repository", key.Repository);
            AddText(lockRow, "@digest", key.Digest.ToString());
            if (await lockRow.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        await using var check = CreateCommand(connection, transaction, checkSql);
        BindKey(check, key, before);
        return await check.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<IReadOnlyList<RepositoryDigest>> ListPageAsync(string sql, DateTimeOffset before, RepositoryDigest? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        await using var command = CreateCommand(sql);
        AddBigint(command, "@before", before.ToUnixTimeMilliseconds());
        AddText(command, "@after_repository", after?.Repository);
        AddText(command, "@after_digest", after?.Digest.ToString());
        command.Parameters.AddWithValue("@limit", limit);
        var page = new List<RepositoryDigest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new RepositoryDigest(reader.GetString(0), Digest.Parse(reader.GetString(1))));
        }

        return page;
    }

    private static void BindKey(NpgsqlCommand command, RepositoryDigest key, DateTimeOffset before)
    {
        AddText(command, "@repository", key.Repository);
        AddText(command, "@digest", key.Digest.ToString());
        AddBigint(command, "@before", before.ToUnixTimeMilliseconds());
    }
}
