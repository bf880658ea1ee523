using Berth.Registry.Content;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.RepositorySql;

namespace Berth.Data.Sqlite;

/// <summary>The catalog (<see cref="Registry.Metadata.IRepositoryStore"/>) and blob links (<see cref="Registry.Metadata.IBlobLinkStore"/>).</summary>
public sealed partial class SqliteMetadataStore
{
    private const string LinkedDigestsPrefix =
        "SELECT digest FROM blob_links WHERE repository = @repository AND digest IN (";

    /// <summary>Digests per IN list; far below SQLite's and PostgreSQL's parameter limits.</summary>
    private const int InListChunk = 200;

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, after is null ? ListRepositoriesSql : ListRepositoriesAfterSql);
        command.Parameters.AddWithValue("@limit", limit);
        if (after is not null)
        {
            command.Parameters.AddWithValue("@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, RepositoryExistsSql);
        command.Parameters.AddWithValue("@repository", repository);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var now = NowMilliseconds();
        await InsertLinkAsync(connection, transaction, repository, digest, size, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long?> GetLinkedBlobSizeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, LinkedBlobSizeSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is long size ? size : null;
    }

    public async Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken)
    {
        // One write transaction: garbage collection's claim and link drop cannot interleave with it.
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        long size;
        await using (var source = CreateCommand(connection, LinkedBlobSizeSql, transaction))
        {
            source.Parameters.AddWithValue("@repository", from);
            source.Parameters.AddWithValue("@digest", digest.ToString());
            if (await source.ExecuteScalarAsync(cancellationToken) is not long linked)
            {
                return false;
            }

            size = linked;
        }

        await using (var claimed = CreateCommand(connection, Schema.GarbageCollectionSql.IsBlobClaimed, transaction))
        {
            claimed.Parameters.AddWithValue("@digest", digest.ToString());
            if (await claimed.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        await InsertLinkAsync(connection, transaction, repository, digest, size, NowMilliseconds(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The repository row (if missing) and the link, inside the caller's write transaction.</summary>
    private static async Task InsertLinkAsync(SqliteConnection connection, SqliteTransaction transaction, string repository, Digest digest, long size, long now, CancellationToken cancellationToken)
    {
        await EnsureRepositoryAsync(connection, transaction, repository, now, cancellationToken);
        await using var link = CreateCommand(connection, LinkBlobSql, transaction);
        link.Parameters.AddWithValue("@repository", repository);
        link.Parameters.AddWithValue("@digest", digest.ToString());
        link.Parameters.AddWithValue("@size", size);
        link.Parameters.AddWithValue("@now", now);
        await link.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, UnlinkBlobSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(LinkedDigestsPrefix, repository, digests, cancellationToken);

    private static async Task EnsureRepositoryAsync(SqliteConnection connection, SqliteTransaction transaction, string repository, long now, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, EnsureRepositorySql, transaction);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The distinct digests, in the caller's order, that <paramref name="presentPrefix"/> (a
    /// <c>SELECT digest … IN (</c> query of one repository) does not find; queried in chunks.
    /// </summary>
    private async Task<IReadOnlyList<Digest>> FindAbsentAsync(string presentPrefix, string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenReadAsync(cancellationToken);
        foreach (var chunk in wanted.Chunk(InListChunk))
        {
            await using var command = CreateCommand(connection, presentPrefix + InListParameters(chunk.Length) + ")");
            command.Parameters.AddWithValue("@repository", repository);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.AddWithValue(InListParameterName(i), chunk[i].ToString());
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        return wanted.Where(d => !present.Contains(d.ToString())).ToList();
    }

    private static string InListParameters(int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(InListParameterName));

    private static string InListParameterName(int index) => $"@d{index}";

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(SqliteCommand command, CancellationToken cancellationToken)
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
