using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.RepositorySql;

namespace Berth.Data.Postgres;

/// <summary>
/// Blob links (<see cref="IBlobLinkStore"/>). A link is "insert if absent" done by the database
/// (ON CONFLICT): two replicas linking the same blob at once both succeed, the second waiting for the
/// first's row. The link check and unlink are <see cref="BlobLinkStore"/>'s.
/// </summary>
internal sealed class NpgsqlBlobLinkStore(NpgsqlDataSource dataSource, PostgresDialect dialect, TimeProvider time) : BlobLinkStore(dialect)
{
    private const string LinkedDigestsSql =
        "SELECT digest FROM blob_links WHERE repository = @repository AND digest = ANY (@digests)";

    public override Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                var now = NowMilliseconds(time);
                await EnsureRepositoryAsync(connection, transaction, repository, now, cancellationToken);
                await using var command = CreateCommand(connection, transaction, LinkBlobSql);
                AddText(command, "@repository", repository);
                AddText(command, "@digest", digest.ToString());
                AddBigint(command, "@size", size);
                AddBigint(command, "@now", now);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// The digest's advisory lock serializes this with a garbage-collection claim; the source link's
    /// share lock with a drop of that link. Nothing is written when the mount is refused.
    /// </summary>
    public override Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await LockDigestAsync(connection, transaction, digest, cancellationToken);
                long size;
                await using (var source = CreateCommand(connection, transaction, LinkedBlobSizeSql + " FOR SHARE"))
                {
                    AddText(source, "@repository", from);
                    AddText(source, "@digest", digest.ToString());
                    if (await source.ExecuteScalarAsync(cancellationToken) is not long linked)
                    {
                        return false;
                    }

                    size = linked;
                }

                await using (var claimed = CreateCommand(connection, transaction, Schema.GarbageCollectionSql.IsBlobClaimed))
                {
                    AddText(claimed, "@digest", digest.ToString());
                    if (await claimed.ExecuteScalarAsync(cancellationToken) is not null)
                    {
                        return false;
                    }
                }

                var now = NowMilliseconds(time);
                await EnsureRepositoryAsync(connection, transaction, repository, now, cancellationToken);
                await using var link = CreateCommand(connection, transaction, LinkBlobSql);
                AddText(link, "@repository", repository);
                AddText(link, "@digest", digest.ToString());
                AddBigint(link, "@size", size);
                AddBigint(link, "@now", now);
                await link.ExecuteNonQueryAsync(cancellationToken);
                return true;
            },
            cancellationToken);

    public override Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(dataSource, LinkedDigestsSql, repository, digests, cancellationToken);
}
