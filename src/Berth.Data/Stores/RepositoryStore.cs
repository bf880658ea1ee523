using Berth.Registry.Metadata;
using static Berth.Data.Schema.RepositorySql;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>The catalog (<see cref="IRepositoryStore"/>): two reads whose text and binding are the same for every provider.</summary>
internal sealed class RepositoryStore(ProviderDialect dialect) : IRepositoryStore
{
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, after is null ? ListRepositoriesSql : ListRepositoriesAfterSql);
        AddInteger(command, "@limit", limit);
        if (after is not null)
        {
            AddText(command, "@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, RepositoryExistsSql);
        AddText(command, "@repository", repository);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
