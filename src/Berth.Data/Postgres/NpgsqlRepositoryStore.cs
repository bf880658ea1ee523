using Berth.Registry.Metadata;
using Npgsql;
using static Berth.Data.Schema.RepositorySql;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>The catalog (<see cref="IRepositoryStore"/>).</summary>
internal sealed class NpgsqlRepositoryStore(NpgsqlDataSource dataSource) : IRepositoryStore
{
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(after is null ? ListRepositoriesSql : ListRepositoriesAfterSql);
        command.Parameters.AddWithValue("@limit", limit);
        if (after is not null)
        {
            AddText(command, "@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RepositoryExistsSql);
        AddText(command, "@repository", repository);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
