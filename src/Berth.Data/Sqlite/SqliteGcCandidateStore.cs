using Berth.Data.Schema;
using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>
/// What garbage collection may remove (<see cref="IGcCandidateStore"/>). SQLite has one writer at a
/// time (<c>BEGIN IMMEDIATE</c>), so each conditional delete is already serialized with every link,
/// mount and manifest push.
/// </summary>
internal sealed class SqliteGcCandidateStore(SqliteDataSource database, SqliteDialect dialect) : GcCandidateStore(dialect)
{
    public override async Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using (var check = CreateCommand(connection, GarbageCollectionSql.IsUntaggedManifest, transaction))
        {
            BindKey(check, manifest, pushedBefore);
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        await SqliteCommands.DeleteManifestAsync(connection, transaction, manifest.Repository, manifest.Digest, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public override async Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, GarbageCollectionSql.DropStaleLink);
        BindKey(command, link, linkedBefore);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public override async Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var wanted = digests.Distinct().ToList();
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenReadAsync(cancellationToken);
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

    private static void BindKey(SqliteCommand command, RepositoryDigest key, DateTimeOffset before)
    {
        command.Parameters.AddWithValue("@repository", key.Repository);
        command.Parameters.AddWithValue("@digest", key.Digest.ToString());
        command.Parameters.AddWithValue("@before", before.ToUnixTimeMilliseconds());
    }
}
