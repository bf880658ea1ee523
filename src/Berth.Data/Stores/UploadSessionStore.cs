using Berth.Registry.Metadata;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Schema.UploadSql;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Upload sessions shared by every replica (<see cref="IUploadSessionStore"/>): one statement per call,
/// the same for every provider. Progress is a compare-and-set UPDATE (on size and last activity): SQLite runs one writer at a time,
/// and under PostgreSQL's READ COMMITTED the second of two racing chunks waits for the first's row lock,
/// re-reads the row, no longer matches the expected size and updates nothing.
/// </summary>
internal sealed class UploadSessionStore(ProviderDialect dialect) : IUploadSessionStore
{
    public async Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, CreateUploadSql);
        AddText(command, "@id", UploadKey(session.Id));
        AddText(command, "@repository", session.Repository);
        AddBigint(command, "@size", session.Size);
        AddBigint(command, "@created_at", session.CreatedAt.ToUnixTimeMilliseconds());
        AddBigint(command, "@updated_at", session.UpdatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GetUploadSql);
        AddText(command, "@id", UploadKey(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUpload(reader) : null;
    }

    public async Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, DateTimeOffset expectedUpdatedAt, long newSize, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, UpdateUploadProgressSql);
        AddText(command, "@id", UploadKey(id));
        AddBigint(command, "@expected_size", expectedSize);
        AddBigint(command, "@expected_updated_at", expectedUpdatedAt.ToUnixTimeMilliseconds());
        AddBigint(command, "@new_size", newSize);
        AddBigint(command, "@updated_at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, DeleteUploadSql);
        AddText(command, "@id", UploadKey(id));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ListExpiredUploadsSql);
        AddBigint(command, "@idle_since", idleSince.ToUnixTimeMilliseconds());
        AddInteger(command, "@limit", limit);
        var sessions = new List<UploadSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(ReadUpload(reader));
        }

        return sessions;
    }

    public async Task<int> ReleaseUploadClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, ReleaseUploadClaimsSql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
