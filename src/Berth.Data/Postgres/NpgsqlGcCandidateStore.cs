using Berth.Data.Schema;
using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>
/// What garbage collection may remove (<see cref="IGcCandidateStore"/>).
/// Under READ COMMITTED a check and a write of two transactions can interleave, so each removal first
/// locks what a concurrent push would lock: the manifest row (a push share-locks it) or the link row (a
/// mount share-locks its source link), and then re-checks in a new statement that sees every commit
/// made meanwhile.
/// </summary>
internal sealed class NpgsqlGcCandidateStore(NpgsqlDataSource dataSource, PostgresDialect dialect) : GcCandidateStore(dialect)
{
    private const string LockLinkSql =
        "SELECT 1 FROM blob_links WHERE repository = @repository AND digest = @digest FOR UPDATE";

    public override Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                if (!await LockedAndStillTrueAsync(connection, transaction, LockManifestSql, GarbageCollectionSql.IsUntaggedManifest, manifest, pushedBefore, cancellationToken))
                {
                    return false;
                }

                await DeleteManifestRowsAsync(connection, transaction, manifest.Repository, manifest.Digest, cancellationToken);

                return true;
            },
            cancellationToken);
    }

    public override Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        return dataSource.InTransactionAsync(
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

    public override async Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(GarbageCollectionSql.HeldDigests.Replace("{0}", "= ANY (@digests)", StringComparison.Ordinal));
        AddBigint(command, "@before", linkedBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@digests", NpgsqlDbType.Array | NpgsqlDbType.Text, wanted.Select(d => d.ToString()).ToArray());
        var held = new HashSet<string>(await ReadStringsAsync(command, cancellationToken), StringComparer.Ordinal);
        return wanted.Where(d => !held.Contains(d.ToString())).ToList();
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

    private static void BindKey(NpgsqlCommand command, RepositoryDigest key, DateTimeOffset before)
    {
        AddText(command, "@repository", key.Repository);
        AddText(command, "@digest", key.Digest.ToString());
        AddBigint(command, "@before", before.ToUnixTimeMilliseconds());
    }
}
