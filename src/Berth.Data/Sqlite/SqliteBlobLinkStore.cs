using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.RepositorySql;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Blob links (<see cref="IBlobLinkStore"/>) as SQLite writes them; the link check and unlink are <see cref="BlobLinkStore"/>'s.</summary>
internal sealed class SqliteBlobLinkStore(SqliteDataSource database, SqliteDialect dialect) : BlobLinkStore(dialect)
{
    private const string LinkedDigestsPrefix =
        "SELECT digest FROM blob_links WHERE repository = @repository AND digest IN (";

    public override async Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var now = database.NowMilliseconds();
        await InsertLinkAsync(connection, transaction, repository, digest, size, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken)
    {
        // One write transaction: garbage collection's claim and link drop cannot interleave with it.
        await using var connection = await database.OpenWriteAsync(cancellationToken);
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

        await InsertLinkAsync(connection, transaction, repository, digest, size, database.NowMilliseconds(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public override Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(database, LinkedDigestsPrefix, repository, digests, cancellationToken);

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
}
