using Berth.Registry.Metadata;
using static Berth.Data.Schema.RepositorySql;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>The catalog (<see cref="IRepositoryStore"/>).</summary>
internal sealed class SqliteRepositoryStore(SqliteDataSource database) : IRepositoryStore
{
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
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
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, RepositoryExistsSql);
        command.Parameters.AddWithValue("@repository", repository);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
