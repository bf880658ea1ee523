namespace Berth.Registry.Metadata;

/// <summary>Repositories: the catalog. A repository exists once a blob or manifest was pushed to it.</summary>
public interface IRepositoryStore
{
    /// <summary>Repository names in lexical (ordinal) order, strictly after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken);

    Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken);
}
