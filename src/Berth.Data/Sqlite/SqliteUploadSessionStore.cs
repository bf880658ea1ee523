using System.Globalization;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.UploadSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Upload sessions shared by every replica (<see cref="IUploadSessionStore"/>).</summary>
internal sealed class SqliteUploadSessionStore(SqliteDataSource database) : IUploadSessionStore
{
    public async Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, CreateUploadSql);
        command.Parameters.AddWithValue("@id", UploadKey(session.Id));
        command.Parameters.AddWithValue("@repository", session.Repository);
        command.Parameters.AddWithValue("@size", session.Size);
        command.Parameters.AddWithValue("@created_at", session.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@updated_at", session.UpdatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GetUploadSql);
        command.Parameters.AddWithValue("@id", UploadKey(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUpload(reader) : null;
    }

    public async Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, long newSize, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, UpdateUploadProgressSql);
        command.Parameters.AddWithValue("@id", UploadKey(id));
        command.Parameters.AddWithValue("@expected_size", expectedSize);
        command.Parameters.AddWithValue("@new_size", newSize);
        command.Parameters.AddWithValue("@updated_at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, DeleteUploadSql);
        command.Parameters.AddWithValue("@id", UploadKey(id));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ListExpiredUploadsSql);
        command.Parameters.AddWithValue("@idle_since", idleSince.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@limit", limit);
        var sessions = new List<UploadSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(ReadUpload(reader));
        }

        return sessions;
    }
}
