using Berth.Registry.Content;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Schema.RepositorySql;

namespace Berth.Data.Postgres;

/// <summary>
/// The catalog (<see cref="Registry.Metadata.IRepositoryStore"/>) and blob links (<see cref="Registry.Metadata.IBlobLinkStore"/>).
/// Both writes are "insert if absent" done by the database (ON CONFLICT DO NOTHING): two replicas
/// linking the same blob at once both succeed, the second waiting for the first's row.
/// </summary>
public sealed partial class NpgsqlMetadataStore
{
    private const string LinkedDigestsSql =
        "SELECT digest FROM blob_links WHERE repository = @repository AND digest = ANY (@digests)";

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var command = CreateCommand(after is null ? ListRepositoriesSql : ListRepositoriesAfterSql);
        command.Parameters.AddWithValue("@limit", limit);
        if (after is not null)
        {
            AddText(command, "@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(RepositoryExistsSql);
        AddText(command, "@repository", repository);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                var now = NowMilliseconds();
                await EnsureRepositoryAsync(connection, transaction, repository, now, cancellationToken);
                await using var command = CreateCommand(connection, transaction, LinkBlobSql);
                AddText(command, "@repository", repository);
                AddText(command, "@digest", digest.ToString());
                AddBigint(command, "@size", size);
                AddBigint(command, "@now", now);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public async Task<long?> GetLinkedBlobSizeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(LinkedBlobSizeSql);
        AddText(command, "@repository", repository);
        AddText(command, "@digest", digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is long size ? size : null;
    }

    /// <summary>
    /// The digest's advisory lock serializes this with a garbage-collection claim; the source link's
    /// share lock with a drop of that link. Nothing is written when the mount is refused.
    /// </summary>
    public Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken) =>
        InTransactionAsync(
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

                var now = NowMilliseconds();
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

    public async Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(UnlinkBlobSql);
        AddText(command, "@repository", repository);
        AddText(command, "@digest", digest.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(LinkedDigestsSql, repository, digests, cancellationToken);

    private static async Task EnsureRepositoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string repository, long now, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, EnsureRepositorySql);
        AddText(command, "@repository", repository);
        AddBigint(command, "@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The distinct digests, in the caller's order, that <paramref name="presentSql"/> (a query of one
    /// repository's digests <c>= ANY (@digests)</c>) does not find. One array parameter, so one round trip
    /// however many digests an index manifest lists.
    /// </summary>
    private async Task<IReadOnlyList<Digest>> FindAbsentAsync(string presentSql, string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var command = CreateCommand(presentSql);
        AddText(command, "@repository", repository);
        command.Parameters.AddWithValue("@digests", NpgsqlDbType.Array | NpgsqlDbType.Text, wanted.Select(d => d.ToString()).ToArray());
        var present = new HashSet<string>(await ReadStringsAsync(command, cancellationToken), StringComparer.Ordinal);
        return wanted.Where(d => !present.Contains(d.ToString())).ToList();
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
